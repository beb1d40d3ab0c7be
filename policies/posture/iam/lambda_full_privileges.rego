package custody.posture.iam_lambda_role_full_privileges

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_IAM_LAMBDA_ROLE_ALL_ACTIONS",
	"title": "Roles assumed by Lambda functions should not allow all actions",
	"severity": "HIGH",
	"resource_types": ["AWS::IAM::Role", "aws_iam_role"],
	"scope": "resource",
	"kics": ["a0ae0a4e-712b-4115-8112-51b9eeed9d69"],
	"follows": "KICS (Lambda Functions With Full Privileges): a role whose trust policy lets lambda.amazonaws.com assume it and whose inline policy has an Allow statement with Action \"*\", whatever the Resource. The finding points at the policy document, as KICS does.",
	"exposure": 1.5, "data_sensitivity": 2, "blast_radius": 2,
	"remediation": "Give each function a role that lists the actions it calls; never Action \"*\".",
}

lambda_trusted(r) if {
	some s in lib.trust_statements(r)
	lib.allows(s.st)
	some p in lib.principal_values(s.st)
	p == "lambda.amazonaws.com"
}

deny contains f if {
	lambda_trusted(input)
	some d in lib.permission_documents(input)
	some s in lib.statements(d.doc)
	lib.allows(s.st)
	lib.all_actions(s.st)
	f := {"msg": sprintf("IAM role %s is assumed by Lambda and allows all actions", [input.name]), "path": d.path}
}
