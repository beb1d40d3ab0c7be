package custody.posture.iam_wildcard_resource

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_IAM_WILDCARD_RESOURCE",
	"title": "IAM policies should not allow actions on all resources",
	"severity": "MEDIUM",
	"resource_types": ["serverless:function", "AWS::Serverless::Function", "AWS::Serverless::StateMachine", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group", "aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_role", "data.aws_iam_policy_document", "aws_iam_policy_document"],
	"scope": "resource",
	"cfn_guard": ["IAM_POLICYDOCUMENT_NO_WILDCARD_RESOURCE"],
	"cfn_nag": ["W11", "W12", "W13"],
	"follows": "cfn-guard and cfn_nag W11/W12/W13: any Allow statement with Resource \"*\" is reported, conditions or not; actions that only support \"*\" (ec2:Describe*, ...) are legitimate, so suppress per resource with a reason.",
	"exposure": 1, "data_sensitivity": 1.5, "blast_radius": 1.5,
	"remediation": "Scope Resource to the ARNs the actions apply to; where an action only supports \"*\", suppress this check on the resource with a reason.",
}

deny contains f if {
	some s in lib.all_permission_statements(input)
	lib.allows(s.st)
	lib.all_resources(s.st)
	f := {"msg": sprintf("%s %s allows actions on all resources (Resource \"*\")", [input.resource_type, input.name]), "path": array.concat(s.path, ["Resource"])}
}
