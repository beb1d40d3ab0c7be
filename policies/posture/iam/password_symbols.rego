package custody.posture.iam_password_symbols

import rego.v1

metadata := {
	"id": "CUSTODY_IAM_PASSWORD_SYMBOLS",
	"title": "The account password policy should require symbols",
	"severity": "MEDIUM",
	"resource_types": ["aws_iam_account_password_policy"],
	"scope": "resource",
	"trivy": ["AVD-AWS-0060"],
	"follows": "trivy (CIS AWS Foundations): aws_iam_account_password_policy require_symbols; an unset value fails. CloudFormation has no password policy resource.",
	"exposure": 1, "data_sensitivity": 1, "blast_radius": 1.5,
	"remediation": "Set require_symbols = true.",
	"fix": {"set": {"require_symbols": true}},
}

deny contains f if {
	input.resource_type == "aws_iam_account_password_policy"
	not input.properties.require_symbols == true
	f := {"msg": sprintf("account password policy %s does not require symbols", [input.name]), "path": ["require_symbols"]}
}
