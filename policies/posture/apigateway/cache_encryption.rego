# Cached API responses are stored on the cache cluster; unless encrypted
# they sit there in clear, including any personal data the API returns.
package custody.posture.apigateway_cache_encryption

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_APIGW_CACHE_ENCRYPTION",
	"title": "API Gateway caches should be encrypted",
	"severity": "MEDIUM",
	"resource_types": ["AWS::ApiGateway::Stage", "AWS::ApiGateway::Deployment", "AWS::Serverless::Api", "aws_api_gateway_method_settings"],
	"scope": "resource",
	"checkov": ["CKV_AWS_308"],
	"kics": ["37cca703-b74c-48ba-ac81-595b53398e9b"],
	"trivy": ["AVD-AWS-0002", "AVD-AWS-0110"],
	"cfn_guard": ["API_GW_CACHE_ENABLED_AND_ENCRYPTED"],
	"cfn_nag": ["W87"],
	"follows": "kics and Trivy: a stage, deployment or method setting with caching enabled must set CacheDataEncrypted; for SAM APIs Trivy's rule (MethodSettings.CacheDataEncrypted must be true, cache on or not) is followed",
	"exposure": 1, "data_sensitivity": 2, "blast_radius": 1,
	"remediation": "Set CacheDataEncrypted: true wherever CachingEnabled is true (Terraform: settings { cache_data_encrypted = true }).",
}

p := input.properties

deny contains {"msg": sprintf("API Gateway stage %s caches responses without encryption (MethodSettings[%d].CacheDataEncrypted)", [input.name, i]), "path": ["MethodSettings", i, "CacheDataEncrypted"]} if {
	input.resource_type == "AWS::ApiGateway::Stage"
	some i, s in lib.as_array(p.MethodSettings)
	lib.is_true(s.CachingEnabled)
	not lib.is_true(object.get(s, "CacheDataEncrypted", false))
}

deny contains {"msg": sprintf("API Gateway deployment %s caches responses without encryption (StageDescription.CacheDataEncrypted)", [input.name]), "path": ["StageDescription", "CacheDataEncrypted"]} if {
	input.resource_type == "AWS::ApiGateway::Deployment"
	lib.is_true(p.StageDescription.CachingEnabled)
	not lib.is_true(object.get(p.StageDescription, "CacheDataEncrypted", false))
}

deny contains {"msg": sprintf("API Gateway deployment %s caches responses without encryption (StageDescription.MethodSettings[%d].CacheDataEncrypted)", [input.name, i]), "path": ["StageDescription", "MethodSettings", i, "CacheDataEncrypted"]} if {
	input.resource_type == "AWS::ApiGateway::Deployment"
	some i, s in lib.as_array(p.StageDescription.MethodSettings)
	lib.is_true(s.CachingEnabled)
	not lib.is_true(object.get(s, "CacheDataEncrypted", false))
}

deny contains {"msg": sprintf("SAM API %s does not encrypt its cache (MethodSettings.CacheDataEncrypted)", [input.name]), "path": ["MethodSettings", "CacheDataEncrypted"]} if {
	input.resource_type == "AWS::Serverless::Api"
	not sam_encrypted
}

sam_encrypted if lib.is_true(p.MethodSettings.CacheDataEncrypted)

sam_encrypted if {
	is_array(p.MethodSettings)
	count(p.MethodSettings) > 0
	every s in p.MethodSettings {
		lib.is_true(s.CacheDataEncrypted)
	}
}

sam_encrypted if lib.intrinsic(p.MethodSettings)

deny contains {"msg": sprintf("API Gateway method settings %s cache responses without encryption (settings.cache_data_encrypted)", [input.name]), "path": ["settings", "cache_data_encrypted"]} if {
	input.resource_type == "aws_api_gateway_method_settings"
	s := lib.block(p.settings)
	lib.is_true(s.caching_enabled)
	not lib.is_true(object.get(s, "cache_data_encrypted", false))
}
