package custody.posture.iam_admin_policy

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_IAM_ADMIN_POLICY",
	"title": "IAM policies should not grant all actions on all resources",
	"severity": "CRITICAL",
	"resource_types": ["serverless:function", "AWS::Serverless::Function", "AWS::Serverless::StateMachine", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group", "aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_role", "data.aws_iam_policy_document", "aws_iam_policy_document"],
	"scope": "resource",
	"checkov": ["CKV_AWS_62", "CKV_AWS_1"],
	"kics": ["022f8938-4b17-420c-aca3-f917f290f322"],
	"cfn_guard": ["IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS"],
	"follows": "cfn-guard and Checkov: an Allow statement with Action \"*\" and Resource \"*\" (administrator access) in any permission policy: standalone, managed, or inline in a role, user or group. Trivy has no such check.",
	"exposure": 1.5, "data_sensitivity": 2, "blast_radius": 2,
	"remediation": "Grant the specific actions and resources the principal needs; use AWS managed job-function policies only where they fit.",
}

deny contains f if {
	some s in lib.all_permission_statements(input)
	lib.allows(s.st)
	lib.all_actions(s.st)
	lib.all_resources(s.st)
	f := {"msg": sprintf("%s %s grants all actions on all resources (administrator access)", [input.resource_type, input.name]), "path": s.path}
}
