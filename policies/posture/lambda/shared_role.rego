# Functions that share one execution role each get the union of what all of
# them need: least privilege is lost and one compromised function reaches
# everything the others can.
package custody.posture.lambda_shared_role

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_LAMBDA_SHARED_ROLE",
	"title": "Lambda functions should not share an execution role",
	"severity": "MEDIUM",
	"resource_types": ["AWS::Lambda::Function", "AWS::Serverless::Function", "aws_lambda_function"],
	"scope": "template",
	"checkov": [],
	"kics": ["4ba74f01-aba5-4be2-83bc-be79ff1a3b92"],
	"trivy": [],
	"cfn_guard": [],
	"cfn_nag": [],
	"follows": "kics: every function whose Role (a literal ARN, !Ref or !GetAtt of the same role) is also used by another function of the template is reported at its Role",
	"exposure": 1, "data_sensitivity": 1, "blast_radius": 3,
	"remediation": "Give each function its own role with only the permissions it needs (SAM creates one per function when Role is omitted and Policies are given).",
}

role_key := {
	"AWS::Lambda::Function": "Role",
	"AWS::Serverless::Function": "Role",
	"aws_lambda_function": "role",
}

# Ref X and GetAtt X.Arn name the same role.
role_id(r) := sprintf("ref:%s", [r.Ref]) if is_string(r.Ref)

role_id(r) := sprintf("ref:%s", [r["Fn::GetAtt"][0]]) if is_array(r["Fn::GetAtt"])

role_id(r) := sprintf("ref:%s", [split(r["Fn::GetAtt"], ".")[0]]) if is_string(r["Fn::GetAtt"])

role_id(r) := sprintf("lit:%s", [r]) if {
	is_string(r)
	r != ""
}

functions := [{"res": res, "key": k, "role": role_id(res.properties[k])} |
	some res in input.resources
	k := role_key[res.resource_type]
	res.properties[k]
]

deny contains {"msg": sprintf("Lambda function %s shares its execution role with %s", [f.res.name, concat(", ", sort(others))]), "path": [f.key], "resource": f.res.address} if {
	some f in functions
	others := [g.res.name | some g in functions; g.role == f.role; g.res.address != f.res.address]
	count(others) > 0
}
