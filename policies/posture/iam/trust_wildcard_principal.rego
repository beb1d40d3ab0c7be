package custody.posture.iam_trust_wildcard_principal

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_IAM_TRUST_WILDCARD_PRINCIPAL",
	"title": "IAM role trust policies should not let any principal assume the role",
	"severity": "CRITICAL",
	"resource_types": ["AWS::IAM::Role", "aws_iam_role"],
	"scope": "resource",
	"checkov": ["CKV_AWS_60"],
	"follows": "Checkov CKV_AWS_60: an Allow statement in the trust policy whose Principal is \"*\" or {AWS: \"*\"}; a Condition does not exempt it, since a mistaken condition then opens the role to every AWS account.",
	"exposure": 2, "data_sensitivity": 1.5, "blast_radius": 2,
	"remediation": "Name the accounts, roles or services that may assume the role in Principal.",
}

deny contains f if {
	some s in lib.trust_statements(input)
	lib.allows(s.st)
	lib.wildcard_principal(s.st)
	f := {"msg": sprintf("IAM role %s can be assumed by any principal (\"*\")", [input.name]), "path": array.concat(s.path, ["Principal"])}
}
