package custody.posture.iam_trust_allow_not_principal

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_IAM_TRUST_ALLOW_NOT_PRINCIPAL",
	"title": "IAM role trust policies should not combine Allow with NotPrincipal",
	"severity": "HIGH",
	"resource_types": ["AWS::IAM::Role", "aws_iam_role"],
	"scope": "resource",
	"cfn_guard": ["IAM_ROLE_NO_ALLOW_PLUS_NOT_PRINCIPAL"],
	"cfn_nag": ["F6"],
	"follows": "cfn-guard and cfn_nag F6: an Allow statement with NotPrincipal in the trust policy lets every principal not listed assume the role.",
	"exposure": 2, "data_sensitivity": 1.5, "blast_radius": 2,
	"remediation": "Name the principals that may assume the role in Principal instead of NotPrincipal.",
}

deny contains f if {
	some s in lib.trust_statements(input)
	lib.allows(s.st)
	lib.allow_not_principal(s.st)
	f := {"msg": sprintf("IAM role %s lets every principal except those listed assume it (Allow with NotPrincipal)", [input.name]), "path": array.concat(s.path, ["NotPrincipal"])}
}
