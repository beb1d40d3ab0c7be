# An API Gateway method (or HTTP API route) with no authorization and no API
# key can be called by anyone who knows the URL.
package custody.posture.apigateway_method_public

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_APIGW_METHOD_PUBLIC",
	"title": "API Gateway methods should require authorization",
	"severity": "HIGH",
	"resource_types": ["AWS::ApiGateway::Method", "aws_api_gateway_method", "AWS::ApiGatewayV2::Route", "aws_apigatewayv2_route"],
	"scope": "resource",
	"checkov": ["CKV_AWS_59", "CKV_AWS_309"],
	"kics": [],
	"trivy": ["AVD-AWS-0004"],
	"cfn_guard": ["API_GW_METHOD_AUTHORIZATION_TYPE_RULE"],
	"cfn_nag": ["W59"],
	"follows": "trivy and Checkov: AuthorizationType NONE (or absent) without ApiKeyRequired is reported, OPTIONS (CORS pre-flight) excepted; a method guarded only by an API key is CUSTODY_APIGW_METHOD_API_KEY_ONLY (cfn-guard reports both)",
	"exposure": 3, "data_sensitivity": 2, "blast_radius": 2,
	"remediation": "Set AuthorizationType to AWS_IAM, COGNITO_USER_POOLS or CUSTOM with an authorizer (Terraform: authorization); for HTTP API routes set AuthorizationType to JWT, AWS_IAM or CUSTOM.",
}

p := input.properties

cfn := startswith(input.resource_type, "AWS::")

auth := object.get(p, "AuthorizationType", "NONE") if cfn

auth := object.get(p, "authorization", "NONE") if input.resource_type == "aws_api_gateway_method"

auth := object.get(p, "authorization_type", "NONE") if input.resource_type == "aws_apigatewayv2_route"

auth_path := ["AuthorizationType"] if cfn

auth_path := ["authorization"] if input.resource_type == "aws_api_gateway_method"

auth_path := ["authorization_type"] if input.resource_type == "aws_apigatewayv2_route"

method := p.HttpMethod if input.resource_type == "AWS::ApiGateway::Method"

method := p.http_method if input.resource_type == "aws_api_gateway_method"

# HTTP API routes carry the method in the route key: "GET /items".
method := split(p.RouteKey, " ")[0] if input.resource_type == "AWS::ApiGatewayV2::Route"

method := split(p.route_key, " ")[0] if input.resource_type == "aws_apigatewayv2_route"

preflight if upper(method) in {"OPTIONS", "OPTION"}

# WebSocket APIs take authorization on $connect only; their other routes
# ($disconnect, $default, custom actions) cannot have any. HTTP API route
# keys are "METHOD /path".
unjudged_route if {
	input.resource_type in {"AWS::ApiGatewayV2::Route", "aws_apigatewayv2_route"}
	key := object.get(p, "RouteKey", object.get(p, "route_key", ""))
	not judged_route_key(key)
}

judged_route_key(k) if {
	is_string(k)
	contains(k, " ")
}

judged_route_key("$connect")

api_key if lib.is_true(p.ApiKeyRequired)

api_key if lib.is_true(p.api_key_required)

open_auth if auth == "NONE"

open_auth if auth == null

deny contains {"msg": sprintf("API Gateway %s %s has no authorization: anyone can call it", [input.resource_type, input.name]), "path": auth_path} if {
	input.resource_type in metadata.resource_types
	open_auth
	not preflight
	not api_key
	not unjudged_route
}
