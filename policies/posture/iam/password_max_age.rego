package custody.posture.iam_password_max_age

import rego.v1

metadata := {
	"id": "CUSTODY_IAM_PASSWORD_MAX_AGE",
	"title": "The account password policy should expire passwords within 90 days",
	"severity": "MEDIUM",
	"resource_types": ["aws_iam_account_password_policy"],
	"scope": "resource",
	"trivy": ["AVD-AWS-0062"],
	"follows": "trivy (CIS AWS Foundations): aws_iam_account_password_policy max_password_age; an unset value fails. CloudFormation has no password policy resource.",
	"exposure": 1, "data_sensitivity": 1, "blast_radius": 1.5,
	"remediation": "Set max_password_age = 90 or less.",
	"fix": {"set": {"max_password_age": 90}},
}

max_age_ok if {
	age := input.properties.max_password_age
	is_number(age)
	age > 0
	age <= 90
}

deny contains f if {
	input.resource_type == "aws_iam_account_password_policy"
	not max_age_ok
	f := {"msg": sprintf("account password policy %s does not expire passwords within 90 days", [input.name]), "path": ["max_password_age"]}
}
