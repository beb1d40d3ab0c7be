package custody.posture.iam_wildcard_actions

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_IAM_WILDCARD_ACTIONS",
	"title": "IAM policies should not grant every action of a service",
	"severity": "HIGH",
	"resource_types": ["serverless:function", "AWS::Serverless::Function", "AWS::Serverless::StateMachine", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group", "aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_role", "data.aws_iam_policy_document", "aws_iam_policy_document"],
	"scope": "resource",
	"checkov": ["CKV_AWS_63"],
	"trivy": ["AVD-AWS-0345"],
	"cfn_guard": ["IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS", "IAM_MANAGEDPOLICY_NO_STATEMENTS_WITH_FULL_ACCESS", "IAM_ROLE_NO_WILDCARD_ACTIONS_ON_PERMISSIONS"],
	"cfn_nag": ["F3", "F4", "F5"],
	"follows": "cfn-guard: an Allow statement whose Action is \"*\" or \"service:*\" (full access to a service) is reported whatever its Resource; Checkov's CKV_AWS_63 only reports \"*\". Trivy's AVD-AWS-0345 is the s3:* case.",
	"exposure": 1, "data_sensitivity": 1.5, "blast_radius": 2,
	"remediation": "List the actions the principal needs (s3:GetObject, dynamodb:Query, ...) instead of \"*\" or \"service:*\".",
}

deny contains f if {
	some s in lib.all_permission_statements(input)
	lib.allows(s.st)
	lib.full_service_action(s.st)
	f := {"msg": sprintf("%s %s grants every action of a service (\"*\" or \"service:*\")", [input.resource_type, input.name]), "path": array.concat(s.path, ["Action"])}
}
