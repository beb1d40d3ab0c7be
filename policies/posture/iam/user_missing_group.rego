package custody.posture.iam_user_missing_group

import rego.v1

metadata := {
	"id": "CUSTODY_IAM_USER_MISSING_GROUP",
	"title": "IAM users should belong to at least one group",
	"severity": "LOW",
	"resource_types": ["AWS::IAM::User"],
	"scope": "template",
	"cfn_guard": ["IAM_USER_MISSING_GROUP_RULE"],
	"cfn_nag": ["F2000"],
	"follows": "cfn-guard: a user with no Groups is reported, unless an AWS::IAM::UserToGroupAddition in the template adds it to a group.",
	"exposure": 1, "data_sensitivity": 1, "blast_radius": 1,
	"remediation": "Add the user to a group (Groups) and grant permissions through the group.",
}

added(u) if {
	some a in input.resources
	a.resource_type == "AWS::IAM::UserToGroupAddition"
	some x in object.get(a.properties, "Users", [])
	x in {u.name, {"Ref": u.name}, object.get(u.properties, "UserName", null)}
}

deny contains f if {
	some u in input.resources
	u.resource_type == "AWS::IAM::User"
	count(object.get(u.properties, "Groups", [])) == 0
	not added(u)
	f := {"msg": sprintf("IAM user %s is in no group", [u.name]), "resource": u.address, "path": ["Groups"]}
}
