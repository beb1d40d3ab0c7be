# API keys identify a client for usage plans and throttling; they are not
# authorization (they travel in clear headers and are shared with every
# caller of a client). A method guarded only by one has no authorization.
package custody.posture.apigateway_method_api_key_only

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_APIGW_METHOD_API_KEY_ONLY",
	"title": "API Gateway methods should not rely on an API key alone for authorization",
	"severity": "MEDIUM",
	"resource_types": ["AWS::ApiGateway::Method", "aws_api_gateway_method"],
	"scope": "resource",
	"checkov": [],
	"kics": [],
	"trivy": [],
	"cfn_guard": ["API_GW_METHOD_AUTHORIZATION_TYPE_RULE"],
	"cfn_nag": ["W59"],
	"follows": "cfn-guard (and AWS's guidance not to use API keys for authorization); Trivy and Checkov accept an API key, so this is a separate check from CUSTODY_APIGW_METHOD_PUBLIC",
	"exposure": 2, "data_sensitivity": 2, "blast_radius": 1,
	"remediation": "Add an authorizer: AuthorizationType AWS_IAM, COGNITO_USER_POOLS or CUSTOM; keep the API key for usage plans if needed.",
}

p := input.properties

cfn := input.resource_type == "AWS::ApiGateway::Method"

auth := object.get(p, "AuthorizationType", "NONE") if cfn

auth := object.get(p, "authorization", "NONE") if not cfn

method := p.HttpMethod if cfn

method := p.http_method if not cfn

api_key if lib.is_true(p.ApiKeyRequired)

api_key if lib.is_true(p.api_key_required)

deny contains {"msg": sprintf("API Gateway method %s is protected only by an API key (authorization NONE)", [input.name]), "path": [{true: "AuthorizationType", false: "authorization"}[cfn]]} if {
	input.resource_type in metadata.resource_types
	auth in {"NONE", null}
	api_key
	not upper(method) in {"OPTIONS", "OPTION"}
}
