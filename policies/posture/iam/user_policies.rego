package custody.posture.iam_user_policies

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_IAM_USER_POLICIES",
	"title": "IAM policies should be attached to groups or roles, not to users",
	"severity": "MEDIUM",
	"resource_types": ["AWS::IAM::User", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "aws_iam_user_policy", "aws_iam_user_policy_attachment", "aws_iam_policy_attachment"],
	"scope": "resource",
	"checkov": ["CKV_AWS_40"],
	"kics": ["edc95c10-7366-4f30-9b4b-f995c84eceb5"],
	"trivy": ["AVD-AWS-0143"],
	"cfn_guard": ["IAM_USER_NO_POLICIES_CHECK", "IAM_NO_POLICY_ON_USER"],
	"cfn_nag": ["F11", "F12"],
	"follows": "KICS and cfn-guard: a user's Policies and ManagedPolicyArns are each reported (KICS also reads the misspelt ManagedPoliciesArns), and so is an IAM Policy or ManagedPolicy whose Users list is not empty; in Terraform aws_iam_user_policy, aws_iam_user_policy_attachment and aws_iam_policy_attachment with users.",
	"exposure": 1, "data_sensitivity": 1, "blast_radius": 1.5,
	"remediation": "Attach the policy to a group the user belongs to (or to a role the user assumes) instead of to the user.",
}

deny contains f if {
	input.resource_type == "AWS::IAM::User"
	some key in ["Policies", "ManagedPolicyArns", "ManagedPoliciesArns"]
	count(object.get(input.properties, key, [])) > 0
	f := {"msg": sprintf("IAM user %s has policies attached directly (%s)", [input.name, key]), "path": [key]}
}

deny contains f if {
	input.resource_type in {"AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"}
	count(object.get(input.properties, "Users", [])) > 0
	f := {"msg": sprintf("%s %s is attached to users", [input.resource_type, input.name]), "path": ["Users"]}
}

deny contains f if {
	input.resource_type in {"aws_iam_user_policy", "aws_iam_user_policy_attachment"}
	f := {"msg": sprintf("%s attaches a policy to a user", [input.address]), "path": ["user"]}
}

deny contains f if {
	input.resource_type == "aws_iam_policy_attachment"
	count(lib.as_array(object.get(input.properties, "users", []))) > 0
	f := {"msg": sprintf("%s attaches a policy to users", [input.address]), "path": ["users"]}
}
