package custody.posture.iam_trust_allow_not_action

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_IAM_TRUST_ALLOW_NOT_ACTION",
	"title": "IAM role trust policies should not combine Allow with NotAction",
	"severity": "MEDIUM",
	"resource_types": ["AWS::IAM::Role", "aws_iam_role"],
	"scope": "resource",
	"cfn_guard": ["IAM_ROLE_NO_ALLOW_PLUS_NOT_ACTION_ON_TRUST_POLICY"],
	"cfn_nag": ["W14"],
	"follows": "cfn-guard and cfn_nag W14: an Allow statement with NotAction in AssumeRolePolicyDocument (Terraform assume_role_policy).",
	"exposure": 2, "data_sensitivity": 1.5, "blast_radius": 2,
	"remediation": "List the assume actions (sts:AssumeRole, sts:AssumeRoleWithWebIdentity, ...) in Action instead of NotAction.",
}

deny contains f if {
	some s in lib.trust_statements(input)
	lib.allows(s.st)
	lib.allow_not_action(s.st)
	f := {"msg": sprintf("IAM role %s combines Allow with NotAction in its trust policy", [input.name]), "path": array.concat(s.path, ["NotAction"])}
}
