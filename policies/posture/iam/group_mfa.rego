package custody.posture.iam_group_mfa

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_IAM_GROUP_MFA",
	"title": "IAM groups should grant permissions only with MFA",
	"severity": "MEDIUM",
	"resource_types": ["aws_iam_group", "aws_iam_group_policy", "aws_iam_group_policy_attachment"],
	"scope": "template",
	"trivy": ["AVD-AWS-0123"],
	"follows": "trivy: a Terraform group passes when a policy attached to it (aws_iam_group_policy, or aws_iam_group_policy_attachment of a policy in the template) has a condition on aws:MultiFactorAuthPresent; a policy given as an unresolved reference (a data source's .json) is not judged and passes. CloudFormation groups are not checked: their policies usually come from elsewhere.",
	"exposure": 1, "data_sensitivity": 1.5, "blast_radius": 1.5,
	"remediation": "Add Condition {\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}} to the group's Allow statements (or a Deny for requests without MFA).",
}

refers(x, g) if {
	is_string(x)
	startswith(x, concat("", [g.address, "."]))
}

refers(x, g) if {
	is_string(x)
	x == g.properties.name
}

mfa_text(p) if contains(lower(json.marshal(p)), "aws:multifactorauthpresent")

# The policy attached to g mentions MFA, or cannot be read here.
acceptable(p) if mfa_text(p)

acceptable(p) if {
	is_string(p)
	not lib.document(p)
}

attached_policies(g) := array.concat(
	[p.properties.policy |
		some p in input.resources
		p.resource_type == "aws_iam_group_policy"
		refers(p.properties.group, g)
	],
	[pol.properties.policy |
		some a in input.resources
		a.resource_type == "aws_iam_group_policy_attachment"
		refers(a.properties.group, g)
		some pol in input.resources
		pol.resource_type == "aws_iam_policy"
		startswith(a.properties.policy_arn, concat("", [pol.address, "."]))
	],
)

deny contains f if {
	some g in input.resources
	g.resource_type == "aws_iam_group"
	not any_acceptable(attached_policies(g))
	f := {"msg": sprintf("IAM group %s has no policy requiring MFA", [g.name]), "resource": g.address}
}

any_acceptable(ps) if {
	some p in ps
	acceptable(p)
}
