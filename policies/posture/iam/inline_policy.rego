package custody.posture.iam_inline_policy

import rego.v1

metadata := {
	"id": "CUSTODY_IAM_INLINE_POLICY",
	"title": "IAM users, roles and groups should use managed policies rather than inline policies",
	"severity": "LOW",
	"resource_types": ["AWS::IAM::User", "AWS::IAM::Role", "AWS::IAM::Group", "aws_iam_role", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"],
	"scope": "resource",
	"cfn_guard": ["IAM_NO_INLINE_POLICY_CHECK"],
	"cfn_nag": ["F10"],
	"follows": "cfn-guard: a Policies property on AWS::IAM::User, Role or Group; in Terraform an inline_policy block or an aws_iam_*_policy resource. LOW: inline policies are harder to audit and reuse but not in themselves a grant.",
	"exposure": 1, "data_sensitivity": 1, "blast_radius": 1,
	"remediation": "Move the statements into an AWS::IAM::ManagedPolicy (aws_iam_policy) and attach it with ManagedPolicyArns (a policy attachment).",
}

deny contains f if {
	startswith(input.resource_type, "AWS::")
	count(object.get(input.properties, "Policies", [])) > 0
	f := {"msg": sprintf("%s %s has inline policies", [input.resource_type, input.name]), "path": ["Policies"]}
}

deny contains f if {
	input.resource_type == "aws_iam_role"
	v := object.get(input.properties, "inline_policy", null)
	not v in {null, [], {}}
	f := {"msg": sprintf("IAM role %s has an inline policy", [input.name]), "path": ["inline_policy"]}
}

deny contains f if {
	input.resource_type in {"aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"}
	f := {"msg": sprintf("%s is an inline policy", [input.address])}
}
