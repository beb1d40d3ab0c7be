# A custom domain must say which kind of endpoint it serves (EDGE, REGIONAL
# or PRIVATE) so that its exposure is a decision, not a default.
package custody.posture.apigateway_endpoint_type

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_APIGW_ENDPOINT_TYPE",
	"title": "API Gateway custom domains should declare a valid endpoint type",
	"severity": "INFO",
	"resource_types": ["AWS::ApiGateway::DomainName"],
	"scope": "resource",
	"checkov": [],
	"kics": [],
	"trivy": [],
	"cfn_guard": ["API_GW_ENDPOINT_TYPE_CHECK"],
	"cfn_nag": [],
	"follows": "cfn-guard (AWS Config api-gw-endpoint-type-check): EndpointConfiguration.Types must be set and list only EDGE, REGIONAL or PRIVATE",
	"exposure": 1, "data_sensitivity": 1, "blast_radius": 1,
	"remediation": "Set EndpointConfiguration.Types to [REGIONAL] (or EDGE, or PRIVATE for VPC-only APIs).",
}

p := input.properties

valid := {"EDGE", "REGIONAL", "PRIVATE"}

deny contains {"msg": sprintf("API Gateway domain %s does not declare its endpoint type (EndpointConfiguration.Types)", [input.name]), "path": ["EndpointConfiguration", "Types"]} if {
	input.resource_type in metadata.resource_types
	not lib.present(p.EndpointConfiguration.Types)
	not lib.intrinsic(p.EndpointConfiguration)
}

deny contains {"msg": sprintf("API Gateway domain %s has the unknown endpoint type %v", [input.name, t]), "path": ["EndpointConfiguration", "Types", i]} if {
	input.resource_type in metadata.resource_types
	some i, t in lib.as_array(p.EndpointConfiguration.Types)
	is_string(t)
	not t in valid
}
