package custody.posture.iam_allow_not_action

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_IAM_ALLOW_NOT_ACTION",
	"title": "IAM policies should not combine Allow with NotAction",
	"severity": "MEDIUM",
	"resource_types": ["serverless:function", "AWS::Serverless::Function", "AWS::Serverless::StateMachine", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group", "aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_role", "data.aws_iam_policy_document", "aws_iam_policy_document"],
	"scope": "resource",
	"cfn_guard": ["IAM_ROLE_OR_POLICY_NO_ALLOW_PLUS_NOT_ACTION"],
	"cfn_nag": ["W15", "W16", "W17"],
	"follows": "cfn-guard: any Allow statement with NotAction in a role's, policy's or managed policy's document is reported: it grants every action not listed, including actions AWS adds later.",
	"exposure": 1, "data_sensitivity": 1.5, "blast_radius": 1.5,
	"remediation": "Replace NotAction with an Action list of what is allowed.",
}

deny contains f if {
	some s in lib.all_permission_statements(input)
	lib.allows(s.st)
	lib.allow_not_action(s.st)
	f := {"msg": sprintf("%s %s combines Allow with NotAction", [input.resource_type, input.name]), "path": array.concat(s.path, ["NotAction"])}
}
