# X-Ray tracing on a stage follows each request through API Gateway into
# the integrations behind it.
package custody.posture.apigateway_tracing

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_APIGW_TRACING",
	"title": "API Gateway stages should have X-Ray tracing enabled",
	"severity": "LOW",
	"resource_types": ["AWS::ApiGateway::Stage", "AWS::Serverless::Api", "aws_api_gateway_stage"],
	"scope": "resource",
	"checkov": ["CKV_AWS_73"],
	"kics": [],
	"trivy": ["AVD-AWS-0003", "AVD-AWS-0111"],
	"cfn_guard": [],
	"cfn_nag": [],
	"follows": "trivy and Checkov: TracingEnabled must be true (absent is off)",
	"exposure": 1, "data_sensitivity": 1, "blast_radius": 1,
	"remediation": "Set TracingEnabled: true on the stage or SAM API (Terraform: xray_tracing_enabled = true).",
	"fix": {"set": {"TracingEnabled": true}},
}

p := input.properties

deny contains {"msg": sprintf("API Gateway stage %s does not have X-Ray tracing enabled (TracingEnabled)", [input.name]), "path": ["TracingEnabled"], "fix": {"set": {"TracingEnabled": true}}} if {
	input.resource_type in {"AWS::ApiGateway::Stage", "AWS::Serverless::Api"}
	not lib.is_true(object.get(p, "TracingEnabled", false))
	not lib.intrinsic(object.get(p, "TracingEnabled", false))
}

deny contains {"msg": sprintf("API Gateway stage %s does not have X-Ray tracing enabled (xray_tracing_enabled)", [input.name]), "path": ["xray_tracing_enabled"], "fix": {"set": {"xray_tracing_enabled": true}}} if {
	input.resource_type == "aws_api_gateway_stage"
	not lib.is_true(object.get(p, "xray_tracing_enabled", false))
}
