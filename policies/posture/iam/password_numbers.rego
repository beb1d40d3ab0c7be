package custody.posture.iam_password_numbers

import rego.v1

metadata := {
	"id": "CUSTODY_IAM_PASSWORD_NUMBERS",
	"title": "The account password policy should require numbers",
	"severity": "MEDIUM",
	"resource_types": ["aws_iam_account_password_policy"],
	"scope": "resource",
	"trivy": ["AVD-AWS-0059"],
	"follows": "trivy (CIS AWS Foundations): aws_iam_account_password_policy require_numbers; an unset value fails. CloudFormation has no password policy resource.",
	"exposure": 1, "data_sensitivity": 1, "blast_radius": 1.5,
	"remediation": "Set require_numbers = true.",
	"fix": {"set": {"require_numbers": true}},
}

deny contains f if {
	input.resource_type == "aws_iam_account_password_policy"
	not input.properties.require_numbers == true
	f := {"msg": sprintf("account password policy %s does not require numbers", [input.name]), "path": ["require_numbers"]}
}
