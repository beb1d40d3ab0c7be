# Lambda permissions exist to let a caller invoke a function; any other
# action (GetFunction exposes the code location and environment) is a
# misconfiguration.
package custody.posture.lambda_permission_action

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_LAMBDA_PERMISSION_ACTION",
	"title": "Lambda permissions should only grant lambda:InvokeFunction",
	"severity": "LOW",
	"resource_types": ["AWS::Lambda::Permission", "aws_lambda_permission"],
	"scope": "resource",
	"checkov": [],
	"kics": ["9b83114b-b2a1-4534-990d-06da015e47aa"],
	"trivy": [],
	"cfn_guard": ["LAMBDA_PERMISSION_INVOKE_FUNCTION_ACTION"],
	"cfn_nag": ["W24"],
	"follows": "cfn-guard and KICS; lambda:InvokeFunctionUrl (function URLs) is accepted as well since it is the same grant for URL callers",
	"exposure": 2, "data_sensitivity": 2, "blast_radius": 1,
	"remediation": "Set Action to lambda:InvokeFunction (or lambda:InvokeFunctionUrl for function URLs).",
}

allowed := {"lambda:invokefunction", "lambda:invokefunctionurl"}

action := input.properties.Action if input.resource_type == "AWS::Lambda::Permission"

action := input.properties.action if input.resource_type == "aws_lambda_permission"

key := "Action" if input.resource_type == "AWS::Lambda::Permission"

key := "action" if input.resource_type == "aws_lambda_permission"

deny contains {"msg": sprintf("Lambda permission %s grants %s, not only lambda:InvokeFunction", [input.name, a]), "path": [key]} if {
	input.resource_type in metadata.resource_types
	some a in lib.as_array(action)
	is_string(a)
	not lower(a) in allowed
}
