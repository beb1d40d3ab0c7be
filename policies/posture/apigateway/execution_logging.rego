# Execution logging (ERROR or INFO) records how API Gateway handled each
# request: authorizer failures, integration errors, throttling.
package custody.posture.apigateway_execution_logging

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_APIGW_EXECUTION_LOGGING",
	"title": "API Gateway stages should have execution logging at ERROR or INFO",
	"severity": "LOW",
	"resource_types": ["AWS::ApiGateway::Stage", "AWS::Serverless::Api", "aws_api_gateway_method_settings"],
	"scope": "resource",
	"checkov": [],
	"kics": [],
	"trivy": [],
	"cfn_guard": ["API_GW_EXECUTION_LOGGING_ENABLED"],
	"cfn_nag": [],
	"follows": "cfn-guard (AWS Config api-gw-execution-logging-enabled): every MethodSettings entry needs LoggingLevel ERROR or INFO; stages without MethodSettings are not judged",
	"exposure": 1, "data_sensitivity": 1, "blast_radius": 1,
	"remediation": "Set LoggingLevel to ERROR (or INFO) in MethodSettings, e.g. for ResourcePath \"/*\" and HttpMethod \"*\" (Terraform: aws_api_gateway_method_settings settings { logging_level = \"ERROR\" }).",
}

p := input.properties

levels := {"ERROR", "INFO"}

deny contains {"msg": sprintf("API Gateway stage %s has method settings without execution logging (LoggingLevel %v)", [input.name, object.get(s, "LoggingLevel", "not set")]), "path": ["MethodSettings", i, "LoggingLevel"]} if {
	input.resource_type in {"AWS::ApiGateway::Stage", "AWS::Serverless::Api"}
	is_array(p.MethodSettings)
	some i, s in p.MethodSettings
	is_object(s)
	not object.get(s, "LoggingLevel", "") in levels
	not lib.intrinsic(object.get(s, "LoggingLevel", ""))
}

deny contains {"msg": sprintf("API Gateway method settings %s do not enable execution logging (logging_level)", [input.name]), "path": ["settings", "logging_level"]} if {
	input.resource_type == "aws_api_gateway_method_settings"
	s := lib.block(p.settings)
	not object.get(s, "logging_level", "") in levels
}
