# Without access logs there is no record of who called an API, from where,
# and what it answered.
package custody.posture.apigateway_access_logging

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_APIGW_ACCESS_LOGGING",
	"title": "API Gateway stages should have access logging enabled",
	"severity": "MEDIUM",
	"resource_types": [
		"AWS::ApiGateway::Stage", "AWS::ApiGatewayV2::Stage", "AWS::Serverless::Api", "AWS::Serverless::HttpApi",
		"aws_api_gateway_stage", "aws_apigatewayv2_stage",
	],
	"scope": "resource",
	"checkov": ["CKV_AWS_76", "CKV_AWS_95"],
	"kics": [],
	"trivy": ["AVD-AWS-0001", "AVD-AWS-0113", "AVD-AWS-0116"],
	"cfn_guard": ["API_GW_STAGE_ACCESS_LOGGING_RULE", "API_GWV2_ACCESS_LOGS_ENABLED"],
	"cfn_nag": ["W69", "W46"],
	"follows": "cfn-guard and Trivy: a destination is required, and for HTTP/WebSocket (v2) stages a Format too, each a string or an intrinsic",
	"exposure": 1, "data_sensitivity": 1, "blast_radius": 1,
	"remediation": "Set AccessLogSetting (REST; SAM Api: AccessLogSetting) or AccessLogSettings (HTTP/WebSocket; SAM HttpApi) with DestinationArn (a CloudWatch Logs group or Firehose ARN) and Format (Terraform: access_log_settings { destination_arn, format }).",
}

p := input.properties

stringish(x) if is_string(x)

stringish(x) if lib.intrinsic(x)

valid(x) if {
	stringish(x)
	x != ""
}

deny contains {"msg": sprintf("API Gateway stage %s has no access logging (AccessLogSetting.DestinationArn)", [input.name]), "path": ["AccessLogSetting", "DestinationArn"]} if {
	input.resource_type in {"AWS::ApiGateway::Stage", "AWS::Serverless::Api"}
	not lib.intrinsic(p.AccessLogSetting)
	not valid(p.AccessLogSetting.DestinationArn)
}

deny contains {"msg": sprintf("API Gateway v2 stage %s has no access logging (AccessLogSettings.%s)", [input.name, k]), "path": ["AccessLogSettings", k]} if {
	input.resource_type in {"AWS::ApiGatewayV2::Stage", "AWS::Serverless::HttpApi"}
	not lib.intrinsic(p.AccessLogSettings)
	some k in ["DestinationArn", "Format"]
	not valid(object.get(object.get(p, "AccessLogSettings", {}), k, null))
}

deny contains {"msg": sprintf("API Gateway stage %s has no access logging (access_log_settings.destination_arn)", [input.name]), "path": ["access_log_settings", "destination_arn"]} if {
	input.resource_type in {"aws_api_gateway_stage", "aws_apigatewayv2_stage"}
	not valid(lib.block(p.access_log_settings).destination_arn)
}
