package custody.posture.iam_user_password_parameter

import rego.v1

metadata := {
	"id": "CUSTODY_IAM_USER_PASSWORD_PARAMETER",
	"title": "IAM users should get their console password from a NoEcho template parameter",
	"severity": "LOW",
	"resource_types": ["AWS::IAM::User"],
	"scope": "template",
	"cfn_guard": ["IAM_USER_LOGIN_PROFILE_USES_SECURE_PARAMETER"],
	"cfn_nag": ["F51"],
	"follows": "cfn-guard's IAM_USER_LOGIN_PROFILE_USES_SECURE_PARAMETER: only a Ref to a parameter with NoEcho true and no Default passes; a user without LoginProfile, or one resolving the password from Secrets Manager, fails too. That is stricter than needed (CUSTODY_IAM_USER_PLAINTEXT_PASSWORD is the check that matters), hence LOW. As in cfn-guard, a guard suppression of IAM_USER_LOGIN_PROFILE_NO_PLAINTEXT_PASSWORD on the user also turns this check off.",
	"exposure": 1, "data_sensitivity": 1.5, "blast_radius": 1,
	"remediation": "Declare a NoEcho parameter without Default and set LoginProfile.Password to a Ref of it.",
}

parameters := object.get(object.get(input, "document", {}), "Parameters", {})

noecho_parameter(p) if {
	param := parameters[p.Ref]
	param.NoEcho in {true, "true", "True"}
	not "Default" in object.keys(param)
}

# cfn-guard's login-profile rules share one suppression.
suppressed(u) if {
	some r in object.get(object.get(u.metadata, "guard", {}), "SuppressedRules", [])
	names := {n | n := r; is_string(r)} | {n | is_object(r); some n, _ in r}
	"IAM_USER_LOGIN_PROFILE_NO_PLAINTEXT_PASSWORD" in names
}

deny contains f if {
	some u in input.resources
	u.resource_type == "AWS::IAM::User"
	not suppressed(u)
	not noecho_parameter(object.get(object.get(u.properties, "LoginProfile", {}), "Password", null))
	f := {"msg": sprintf("IAM user %s does not take its console password from a NoEcho parameter", [u.name]), "resource": u.address, "path": ["LoginProfile", "Password"]}
}
