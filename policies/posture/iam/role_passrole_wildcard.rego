package custody.posture.iam_role_passrole_wildcard

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_IAM_ROLE_PASSROLE_WILDCARD",
	"title": "IAM roles should not allow iam:PassRole on all resources",
	"severity": "HIGH",
	"resource_types": ["AWS::IAM::Role", "aws_iam_role"],
	"scope": "resource",
	"cfn_guard": ["IAM_ROLE_NO_WILDCARD_RESOURCE_ON_PASSROLE"],
	"cfn_nag": ["F38"],
	"follows": "cfn-guard: an Allow statement granting iam:PassRole (or iam:*, or *) on Resource \"*\" without a Condition is reported; a Condition such as iam:PassedToService limits which roles can be passed and passes. Roles and standalone policies are separate checks, as in cfn-guard and cfn_nag (F38/F39).",
	"exposure": 1, "data_sensitivity": 1.5, "blast_radius": 2,
	"remediation": "Restrict iam:PassRole to the ARNs of the roles that may be passed, or add a Condition on iam:PassedToService.",
}

passrole(a) if a in {"*", "iam:*", "iam:passrole", "iam:pass*", "iam:passr*"}

deny contains f if {
	some s in lib.all_permission_statements(input)
	lib.allows(s.st)
	some a in lib.actions(s.st)
	passrole(a)
	lib.all_resources(s.st)
	not lib.has_condition(s.st)
	f := {"msg": sprintf("%s %s allows iam:PassRole on all resources", [input.resource_type, input.name]), "path": array.concat(s.path, ["Resource"])}
}
