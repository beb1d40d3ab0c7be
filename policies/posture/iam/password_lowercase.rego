package custody.posture.iam_password_lowercase

import rego.v1

metadata := {
	"id": "CUSTODY_IAM_PASSWORD_LOWERCASE",
	"title": "The account password policy should require lowercase letters",
	"severity": "MEDIUM",
	"resource_types": ["aws_iam_account_password_policy"],
	"scope": "resource",
	"trivy": ["AVD-AWS-0058"],
	"follows": "trivy (CIS AWS Foundations): aws_iam_account_password_policy require_lowercase_characters; an unset value fails. CloudFormation has no password policy resource.",
	"exposure": 1, "data_sensitivity": 1, "blast_radius": 1.5,
	"remediation": "Set require_lowercase_characters = true.",
	"fix": {"set": {"require_lowercase_characters": true}},
}

deny contains f if {
	input.resource_type == "aws_iam_account_password_policy"
	not input.properties.require_lowercase_characters == true
	f := {"msg": sprintf("account password policy %s does not require lowercase letters", [input.name]), "path": ["require_lowercase_characters"]}
}
