package custody.posture.iam_password_min_length

import rego.v1

metadata := {
	"id": "CUSTODY_IAM_PASSWORD_MIN_LENGTH",
	"title": "The account password policy should require at least 14 characters",
	"severity": "MEDIUM",
	"resource_types": ["aws_iam_account_password_policy"],
	"scope": "resource",
	"trivy": ["AVD-AWS-0063"],
	"follows": "trivy (CIS AWS Foundations): aws_iam_account_password_policy minimum_password_length; an unset value fails. CloudFormation has no password policy resource.",
	"exposure": 1, "data_sensitivity": 1, "blast_radius": 1.5,
	"remediation": "Set minimum_password_length = 14 or more.",
	"fix": {"set": {"minimum_password_length": 14}},
}

deny contains f if {
	input.resource_type == "aws_iam_account_password_policy"
	object.get(input.properties, "minimum_password_length", 0) < 14
	f := {"msg": sprintf("account password policy %s does not require passwords of at least 14 characters", [input.name]), "path": ["minimum_password_length"]}
}
