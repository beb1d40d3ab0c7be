# A Lambda permission for an AWS service principal without SourceArn or
# SourceAccount lets that service invoke the function on behalf of any
# account (the confused-deputy problem); a "*" principal without an
# organization or account condition, and a layer shared with "*", are public.
# S3 is checked more strictly in lambda_permission_s3_account.rego.
package custody.posture.lambda_permission_unscoped

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_LAMBDA_PERMISSION_UNSCOPED",
	"title": "Lambda permissions for services should be scoped to a source ARN, account or organization",
	"severity": "HIGH",
	"resource_types": ["AWS::Lambda::Permission", "AWS::Lambda::LayerVersionPermission", "aws_lambda_permission", "aws_lambda_layer_version_permission"],
	"scope": "resource",
	"checkov": ["CKV_AWS_364"],
	"kics": [],
	"trivy": ["AVD-AWS-0067"],
	"cfn_guard": ["LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED"],
	"cfn_nag": [],
	"follows": "cfn-guard (AWS Config lambda-function-public-access-prohibited) and Trivy: a service principal needs SourceArn, SourceAccount or PrincipalOrgID; the stricter rule for s3.amazonaws.com is CUSTODY_LAMBDA_PERMISSION_S3_ACCOUNT",
	"exposure": 3, "data_sensitivity": 1, "blast_radius": 2,
	"remediation": "Add SourceArn (the calling topic, bucket, rule or API) and SourceAccount, or PrincipalOrgID; for s3.amazonaws.com always add SourceAccount.",
}

p := input.properties

cfn := startswith(input.resource_type, "AWS::")

field(cfn_name, _) := object.get(p, cfn_name, null) if cfn

field(_, tf_name) := object.get(p, tf_name, null) if not cfn

principal := field("Principal", "principal")

principal_path := ["Principal"] if cfn

principal_path := ["principal"] if not cfn

is_permission if input.resource_type in {"AWS::Lambda::Permission", "aws_lambda_permission"}

is_layer if input.resource_type in {"AWS::Lambda::LayerVersionPermission", "aws_lambda_layer_version_permission"}

service(x) if {
	is_string(x)
	endswith(x, ".amazonaws.com")
}

has_source_account if lib.present(field("SourceAccount", "source_account"))

has_source_arn if lib.present(field("SourceArn", "source_arn"))

has_org if lib.present(field("PrincipalOrgID", "principal_org_id"))

deny contains {"msg": sprintf("Lambda permission %s lets %s invoke the function for any account: add SourceArn or SourceAccount", [input.name, principal]), "path": principal_path} if {
	is_permission
	service(principal)
	not has_source_arn
	not has_source_account
	not has_org
}

deny contains {"msg": sprintf("Lambda permission %s lets anyone invoke the function", [input.name]), "path": principal_path} if {
	is_permission
	principal == "*"
	not has_source_account
	not has_org
}

deny contains {"msg": sprintf("Lambda layer permission %s shares the layer with every AWS account", [input.name]), "path": principal_path} if {
	is_layer
	principal == "*"
	not lib.present(field("OrganizationId", "organization_id"))
}
