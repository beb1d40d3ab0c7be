# Custom domains that still accept TLS 1.0/1.1 allow downgrade to protocols
# with known weaknesses.
package custody.posture.apigateway_tls_policy

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_APIGW_TLS_POLICY",
	"title": "API Gateway custom domains should require TLS 1.2 or later",
	"severity": "MEDIUM",
	"resource_types": [
		"AWS::ApiGateway::DomainName", "AWS::ApiGatewayV2::DomainName", "AWS::Serverless::Api",
		"aws_api_gateway_domain_name", "aws_apigatewayv2_domain_name",
	],
	"scope": "resource",
	"checkov": ["CKV_AWS_206"],
	"kics": [],
	"trivy": ["AVD-AWS-0005", "AVD-AWS-0112"],
	"cfn_guard": ["API_GW_DOMAIN_DENY_NON_TLS_TRAFFIC"],
	"cfn_nag": ["W62"],
	"follows": "cfn-guard and Trivy: SecurityPolicy must be TLS_1_2 or one of the newer SecurityPolicy_TLS12*/TLS13* policies, and an absent policy is reported; a SAM API without Domain.SecurityPolicy is reported as Trivy does, since its endpoint then keeps the TLS 1.0 default",
	"exposure": 2, "data_sensitivity": 2, "blast_radius": 1,
	"remediation": "Set SecurityPolicy: TLS_1_2 (or a SecurityPolicy_TLS13_* policy) on the domain name (SAM: Domain.SecurityPolicy; Terraform: security_policy = \"TLS_1_2\").",
}

p := input.properties

good(x) if x == "TLS_1_2"

good(x) if {
	is_string(x)
	regex.match(`^SecurityPolicy_TLS1[23]`, x)
}

good(x) if lib.intrinsic(x)

deny contains {"msg": sprintf("API Gateway domain %s does not require TLS 1.2 (SecurityPolicy %v)", [input.name, object.get(p, "SecurityPolicy", "not set")]), "path": ["SecurityPolicy"], "fix": {"set": {"SecurityPolicy": "TLS_1_2"}}} if {
	input.resource_type == "AWS::ApiGateway::DomainName"
	not good(object.get(p, "SecurityPolicy", null))
}

deny contains {"msg": sprintf("API Gateway v2 domain %s does not require TLS 1.2 (DomainNameConfigurations[%d].SecurityPolicy)", [input.name, i]), "path": ["DomainNameConfigurations", i, "SecurityPolicy"]} if {
	input.resource_type == "AWS::ApiGatewayV2::DomainName"
	some i, c in lib.as_array(p.DomainNameConfigurations)
	is_object(c)
	not good(object.get(c, "SecurityPolicy", null))
}

deny contains {"msg": sprintf("SAM API %s does not require TLS 1.2 (Domain.SecurityPolicy)", [input.name]), "path": ["Domain", "SecurityPolicy"]} if {
	input.resource_type == "AWS::Serverless::Api"
	not lib.intrinsic(p.Domain)
	not good(object.get(object.get(p, "Domain", {}), "SecurityPolicy", null))
}

deny contains {"msg": sprintf("API Gateway domain %s does not require TLS 1.2 (security_policy %v)", [input.name, object.get(p, "security_policy", "not set")]), "path": ["security_policy"], "fix": {"set": {"security_policy": "TLS_1_2"}}} if {
	input.resource_type == "aws_api_gateway_domain_name"
	not good(object.get(p, "security_policy", null))
}

deny contains {"msg": sprintf("API Gateway v2 domain %s does not require TLS 1.2 (domain_name_configuration.security_policy)", [input.name]), "path": ["domain_name_configuration", "security_policy"]} if {
	input.resource_type == "aws_apigatewayv2_domain_name"
	not good(object.get(lib.block(p.domain_name_configuration), "security_policy", null))
}
