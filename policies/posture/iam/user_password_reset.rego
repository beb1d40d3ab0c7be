package custody.posture.iam_user_password_reset

import rego.v1

metadata := {
	"id": "CUSTODY_IAM_USER_PASSWORD_RESET",
	"title": "IAM users should have to reset their initial console password",
	"severity": "LOW",
	"resource_types": ["AWS::IAM::User", "aws_iam_user_login_profile"],
	"scope": "resource",
	"cfn_guard": ["IAM_USER_LOGIN_PROFILE_PASSWORD_RESET_RULE"],
	"cfn_nag": ["W50"],
	"follows": "cfn-guard: LoginProfile.PasswordResetRequired must be true, and a user without LoginProfile fails too (the rule asks every user for it); Terraform aws_iam_user_login_profile needs password_reset_required = true.",
	"exposure": 1, "data_sensitivity": 1, "blast_radius": 1,
	"remediation": "Set LoginProfile.PasswordResetRequired: true so the password set by the template is changed at first sign-in.",
	"fix": {"set": {"LoginProfile": {"PasswordResetRequired": true}}},
}

deny contains f if {
	input.resource_type == "AWS::IAM::User"
	not input.properties.LoginProfile.PasswordResetRequired == true
	f := {"msg": sprintf("IAM user %s is not required to reset its console password", [input.name]), "path": ["LoginProfile", "PasswordResetRequired"]}
}

deny contains f if {
	input.resource_type == "aws_iam_user_login_profile"
	not input.properties.password_reset_required == true
	f := {"msg": sprintf("%s does not require a password reset", [input.address]), "path": ["password_reset_required"]}
}
