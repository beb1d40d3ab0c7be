# A public REST API stage without a WAF web ACL takes every request, however
# malformed or abusive, straight to its integrations.
package custody.posture.apigateway_waf

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_APIGW_WAF",
	"title": "API Gateway REST API stages should be protected by a WAF web ACL",
	"severity": "MEDIUM",
	"resource_types": ["AWS::ApiGateway::Stage", "aws_api_gateway_stage"],
	"scope": "template",
	"checkov": ["CKV2_AWS_29"],
	"kics": ["fcbf9019-566c-4832-a65c-af00d8137d2b"],
	"trivy": [],
	"cfn_guard": [],
	"cfn_nag": [],
	"follows": "kics and Checkov: a stage needs a WAFv2 (or WAF Regional) web ACL association in the same template whose ResourceArn names the stage (\".../stages/<StageName>\", a reference to the stage, or Terraform's aws_api_gateway_stage.<name>)",
	"exposure": 2, "data_sensitivity": 1, "blast_radius": 2,
	"remediation": "Associate a WAFv2 web ACL with the stage: AWS::WAFv2::WebACLAssociation with ResourceArn arn:aws:apigateway:<region>::/restapis/<api-id>/stages/<stage> (Terraform: aws_wafv2_web_acl_association, or web_acl_arn on the stage).",
}

assoc_types := {"AWS::WAFv2::WebACLAssociation", "AWS::WAFRegional::WebACLAssociation", "aws_wafv2_web_acl_association", "aws_wafregional_web_acl_association"}

# Every string inside an association's ResourceArn (literals, Sub templates,
# Join parts, Terraform reference text).
arn_texts contains s if {
	some r in input.resources
	r.resource_type in assoc_types
	arn := object.get(r.properties, "ResourceArn", object.get(r.properties, "resource_arn", null))
	walk(arn, [_, s])
	is_string(s)
}

stage_name(r) := r.properties.StageName if r.resource_type == "AWS::ApiGateway::Stage"

stage_name(r) := r.properties.stage_name if r.resource_type == "aws_api_gateway_stage"

associated(r) if {
	some s in arn_texts
	name := stage_name(r)
	is_string(name)
	endswith(s, sprintf("/stages/%s", [name]))
}

associated(r) if {
	some s in arn_texts
	contains(s, sprintf("/stages/${%s}", [r.name]))
}

# !Ref Stage or Terraform's aws_api_gateway_stage.NAME.arn inside the ARN.
associated(r) if {
	some a in input.resources
	a.resource_type in assoc_types
	arn := object.get(a.properties, "ResourceArn", object.get(a.properties, "resource_arn", null))
	walk(arn, [_, v])
	v == {"Ref": r.name}
}

associated(r) if {
	r.resource_type == "aws_api_gateway_stage"
	some s in arn_texts
	contains(s, sprintf("aws_api_gateway_stage.%s.", [r.name]))
}

associated(r) if lib.present(r.properties.web_acl_arn)

deny contains {"msg": sprintf("API Gateway stage %s has no WAF web ACL associated", [r.name]), "path": [key], "resource": r.address} if {
	some r in input.resources
	r.resource_type in {"AWS::ApiGateway::Stage", "aws_api_gateway_stage"}
	not associated(r)
	key := {"AWS::ApiGateway::Stage": "StageName", "aws_api_gateway_stage": "stage_name"}[r.resource_type]
}
