package custody.posture.kms_wildcard_principal

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_KMS_WILDCARD_PRINCIPAL",
	"title": "KMS key policies should not allow any principal",
	"severity": "HIGH",
	"resource_types": ["AWS::KMS::Key", "aws_kms_key"],
	"scope": "resource",
	"checkov": ["CKV_AWS_33"],
	"cfn_guard": ["KMS_NO_WILDCARD_PRINCIPAL"],
	"cfn_nag": ["F76"],
	"follows": "cfn-guard and Checkov: an Allow statement in KeyPolicy (Terraform policy) whose Principal is \"*\" or {AWS: \"*\"}, conditions or not; key policies are the only gate to a key, so a wildcard there opens it to every AWS account.",
	"exposure": 2, "data_sensitivity": 2, "blast_radius": 2,
	"remediation": "Name the account root, roles or services that use the key in Principal; keep kms:* for the account's key administrators only.",
}

deny contains f if {
	input.resource_type in {"AWS::KMS::Key", "aws_kms_key"}
	some s in lib.permission_statements(input)
	lib.allows(s.st)
	lib.wildcard_principal(s.st)
	f := {"msg": sprintf("the key policy of KMS key %s allows any principal (\"*\")", [input.name]), "path": array.concat(s.path, ["Principal"])}
}
