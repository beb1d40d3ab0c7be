package custody.posture.iam_password_reuse

import rego.v1

metadata := {
	"id": "CUSTODY_IAM_PASSWORD_REUSE",
	"title": "The account password policy should prevent reusing the last 5 passwords",
	"severity": "MEDIUM",
	"resource_types": ["aws_iam_account_password_policy"],
	"scope": "resource",
	"trivy": ["AVD-AWS-0056"],
	"follows": "trivy (CIS AWS Foundations): aws_iam_account_password_policy password_reuse_prevention; an unset value fails. CloudFormation has no password policy resource.",
	"exposure": 1, "data_sensitivity": 1, "blast_radius": 1.5,
	"remediation": "Set password_reuse_prevention = 5 or more.",
	"fix": {"set": {"password_reuse_prevention": 24}},
}

deny contains f if {
	input.resource_type == "aws_iam_account_password_policy"
	object.get(input.properties, "password_reuse_prevention", 0) < 5
	f := {"msg": sprintf("account password policy %s does not prevent reuse of the last 5 passwords", [input.name]), "path": ["password_reuse_prevention"]}
}
