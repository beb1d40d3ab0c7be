# Response caching absorbs repeated requests before they reach the backend,
# which limits the cost and the load a request flood can cause.
package custody.posture.apigateway_cache_enabled

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_APIGW_CACHE_ENABLED",
	"title": "API Gateway REST API method settings should enable response caching",
	"severity": "LOW",
	"resource_types": ["AWS::ApiGateway::Stage", "aws_api_gateway_method_settings"],
	"scope": "resource",
	"checkov": ["CKV_AWS_120"],
	"kics": [],
	"trivy": ["AVD-AWS-0190"],
	"cfn_guard": ["API_GW_CACHE_ENABLED_AND_ENCRYPTED"],
	"cfn_nag": ["W87"],
	"follows": "trivy and cfn-guard: every method setting must set CachingEnabled; stages without MethodSettings are not judged (cfn-guard skips them)",
	"exposure": 1, "data_sensitivity": 1, "blast_radius": 1,
	"remediation": "Set CachingEnabled: true (with CacheDataEncrypted: true) in MethodSettings and CacheClusterEnabled on the stage (Terraform: settings { caching_enabled = true }); suppress for methods that must never be cached.",
}

p := input.properties

deny contains {"msg": sprintf("API Gateway stage %s does not enable caching in MethodSettings[%d]", [input.name, i]), "path": ["MethodSettings", i, "CachingEnabled"]} if {
	input.resource_type == "AWS::ApiGateway::Stage"
	is_array(p.MethodSettings)
	some i, s in p.MethodSettings
	is_object(s)
	not lib.is_true(object.get(s, "CachingEnabled", false))
	not lib.intrinsic(object.get(s, "CachingEnabled", false))
}

deny contains {"msg": sprintf("API Gateway method settings %s do not enable caching (settings.caching_enabled)", [input.name]), "path": ["settings", "caching_enabled"]} if {
	input.resource_type == "aws_api_gateway_method_settings"
	not lib.is_true(object.get(lib.block(p.settings), "caching_enabled", false))
}
