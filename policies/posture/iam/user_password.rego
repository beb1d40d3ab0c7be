package custody.posture.iam_user_plaintext_password

import rego.v1

metadata := {
	"id": "CUSTODY_IAM_USER_PLAINTEXT_PASSWORD",
	"title": "IAM user console passwords should come from Secrets Manager, SSM SecureString or a NoEcho parameter",
	"severity": "HIGH",
	"resource_types": ["AWS::IAM::User"],
	"scope": "template",
	"cfn_guard": ["IAM_USER_LOGIN_PROFILE_NO_PLAINTEXT_PASSWORD", "IAM_USER_LOGIN_PROFILE_USES_SECURE_SERVICE"],
	"cfn_nag": ["F51"],
	"follows": "cfn-guard: LoginProfile.Password passes when it is a {{resolve:secretsmanager:...}} or {{resolve:ssm-secure:...}} dynamic reference, or a Ref to a parameter with NoEcho true and no Default; a literal, a parameter that echoes or has a default, or a LoginProfile without Password fails. A user without LoginProfile has no console password and passes.",
	"exposure": 1.5, "data_sensitivity": 2, "blast_radius": 1.5,
	"remediation": "Set LoginProfile.Password to '{{resolve:secretsmanager:SECRET:SecretString:password}}' (or ssm-secure), or to a Ref of a NoEcho parameter without Default.",
}

parameters := object.get(object.get(input, "document", {}), "Parameters", {})

secure_reference(p) if {
	is_string(p)
	regex.match(`^\{\{resolve:(secretsmanager|ssm-secure):`, p)
}

secure_reference(p) if {
	param := parameters[p.Ref]
	param.NoEcho in {true, "true", "True"}
	not "Default" in object.keys(param)
}

deny contains f if {
	some u in input.resources
	u.resource_type == "AWS::IAM::User"
	lp := u.properties.LoginProfile
	not secure_reference(object.get(lp, "Password", null))
	f := {"msg": sprintf("IAM user %s has a console password that is not taken from a secret store or a NoEcho parameter", [u.name]), "resource": u.address, "path": ["LoginProfile", "Password"]}
}
