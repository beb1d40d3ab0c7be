# Bucket ARNs carry no account id: a permission for s3.amazonaws.com scoped
# only by SourceArn still fires for a bucket of that name re-created in
# another account after deletion. SourceAccount (or PrincipalOrgID) closes it.
package custody.posture.lambda_permission_s3_account

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_LAMBDA_PERMISSION_S3_ACCOUNT",
	"title": "Lambda permissions for Amazon S3 should be scoped to the bucket owner's account",
	"severity": "MEDIUM",
	"resource_types": ["AWS::Lambda::Permission", "aws_lambda_permission"],
	"scope": "resource",
	"checkov": [],
	"kics": [],
	"trivy": [],
	"cfn_guard": ["LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED"],
	"cfn_nag": [],
	"follows": "cfn-guard: SourceArn alone is not enough for s3.amazonaws.com (Trivy's AVD-AWS-0067 accepts it; it is covered by CUSTODY_LAMBDA_PERMISSION_UNSCOPED)",
	"exposure": 2, "data_sensitivity": 1, "blast_radius": 2,
	"remediation": "Add SourceAccount (the bucket owner's account id, e.g. !Ref AWS::AccountId) or PrincipalOrgID to the permission.",
}

p := input.properties

cfn := input.resource_type == "AWS::Lambda::Permission"

principal := p.Principal if cfn

principal := p.principal if not cfn

# Without SourceArn either, CUSTODY_LAMBDA_PERMISSION_UNSCOPED reports it.
has_source_arn if lib.present(p.SourceArn)

has_source_arn if lib.present(p.source_arn)

scoped if lib.present(p.SourceAccount)

scoped if lib.present(p.PrincipalOrgID)

scoped if lib.present(p.source_account)

scoped if lib.present(p.principal_org_id)

deny contains {"msg": sprintf("Lambda permission %s lets s3.amazonaws.com invoke the function without SourceAccount: a bucket of the same name in another account could trigger it", [input.name]), "path": [key]} if {
	input.resource_type in metadata.resource_types
	principal == "s3.amazonaws.com"
	not scoped
	has_source_arn
	key := {true: "Principal", false: "principal"}[cfn]
}
