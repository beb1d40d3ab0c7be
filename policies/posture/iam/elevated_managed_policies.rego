package custody.posture.iam_role_elevated_managed_policy

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_IAM_ROLE_ELEVATED_MANAGED_POLICY",
	"title": "IAM roles should not have the PowerUserAccess or IAMFullAccess managed policies",
	"severity": "HIGH",
	"resource_types": ["AWS::IAM::Role", "serverless:function", "AWS::Serverless::Function", "AWS::Serverless::StateMachine", "aws_iam_role", "aws_iam_role_policy_attachment", "aws_iam_policy_attachment"],
	"scope": "resource",
	"cfn_guard": ["IAM_ROLE_ELEVATED_MANAGED_POLICY_RULE"],
	"cfn_nag": ["W44"],
	"follows": "cfn-guard: ManagedPolicyArns containing arn:aws:iam::aws:policy/PowerUserAccess or IAMFullAccess (any partition), or a SAM function or state machine naming it in Policies; AdministratorAccess is CUSTODY_IAM_ROLE_ADMINISTRATOR_ACCESS; in Terraform also managed_policy_arns and aws_iam_role_policy_attachment / aws_iam_policy_attachment with that ARN.",
	"exposure": 1, "data_sensitivity": 2, "blast_radius": 2,
	"remediation": "Replace PowerUserAccess or IAMFullAccess with a policy that grants only what the role's workload needs.",
}

elevated := {"PowerUserAccess", "IAMFullAccess"}

admin(arn) if {
	is_string(arn)
	some name in elevated
	endswith(arn, concat("", [":iam::aws:policy/", name]))
}

admin(arn) if {
	is_object(arn)
	some name in elevated
	contains(json.marshal(arn), concat("", [":iam::aws:policy/", name, "\""]))
}

# Serverless Framework: iamManagedPolicies or iam.role.managedPolicies.
deny contains f if {
	input.resource_type == "serverless:function"
	some path in [["iamManagedPolicies"], ["iam", "role", "managedPolicies"]]
	arns := object.get(input.properties, path, [])
	some i, arn in lib.as_array(arns)
	admin(arn)
	f := {"msg": sprintf("function %s has the managed policy %v", [input.name, arn]), "path": array.concat(path, [i])}
}

# SAM Policies may name an AWS managed policy without its ARN.
deny contains f if {
	startswith(input.resource_type, "AWS::Serverless::")
	some i, name in lib.as_array(object.get(input.properties, "Policies", []))
	is_string(name)
	admin(concat("", ["arn:aws:iam::aws:policy/", name]))
	f := {"msg": sprintf("%s %s has the %s managed policy", [input.resource_type, input.name, name]), "path": ["Policies", i]}
}

deny contains f if {
	startswith(input.resource_type, "AWS::")
	some i, arn in lib.as_array(object.get(input.properties, "ManagedPolicyArns", []))
	admin(arn)
	f := {"msg": sprintf("IAM role %s has an elevated managed policy (PowerUserAccess or IAMFullAccess)", [input.name]), "path": ["ManagedPolicyArns", i]}
}

deny contains f if {
	startswith(input.resource_type, "aws_")
	some i, arn in lib.as_array(object.get(input.properties, "managed_policy_arns", []))
	admin(arn)
	f := {"msg": sprintf("IAM role %s has an elevated managed policy (PowerUserAccess or IAMFullAccess)", [input.name]), "path": ["managed_policy_arns", i]}
}

deny contains f if {
	startswith(input.resource_type, "aws_")
	admin(input.properties.policy_arn)
	f := {"msg": sprintf("%s attaches an elevated managed policy (PowerUserAccess or IAMFullAccess)", [input.address]), "path": ["policy_arn"]}
}
