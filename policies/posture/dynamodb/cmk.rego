# Tables are encrypted with an AWS owned key unless told otherwise; a
# customer managed key makes reading the data depend on a key policy that
# the account controls, audits and can revoke.
package custody.posture.dynamodb_cmk

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_DYNAMODB_CMK",
	"title": "DynamoDB tables should be encrypted with a customer managed KMS key",
	"severity": "LOW",
	"resource_types": ["AWS::DynamoDB::Table", "aws_dynamodb_table"],
	"scope": "resource",
	"checkov": ["CKV_AWS_119"],
	"kics": [],
	"trivy": ["AVD-AWS-0025"],
	"cfn_guard": ["DYNAMODB_TABLE_ENCRYPTED_KMS"],
	"cfn_nag": ["W74"],
	"follows": "trivy and cfn-guard: SSE must be enabled with a KMS key that is not the AWS-managed alias/aws/dynamodb; cfn-guard accepts SSEType KMS without a key id (the AWS-managed key), Trivy and Checkov do not, and they are followed",
	"exposure": 1, "data_sensitivity": 2, "blast_radius": 1,
	"remediation": "Set SSESpecification {SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: <customer managed key>} (Terraform: server_side_encryption { enabled = true, kms_key_arn = aws_kms_key.<name>.arn }).",
}

p := input.properties

cmk_cfn if {
	lib.is_true(p.SSESpecification.SSEEnabled)
	lib.customer_key(p.SSESpecification.KMSMasterKeyId)
}

cmk_cfn if lib.intrinsic(p.SSESpecification)

deny contains {"msg": sprintf("DynamoDB table %s is not encrypted with a customer managed KMS key", [input.name]), "path": ["SSESpecification", "KMSMasterKeyId"]} if {
	input.resource_type == "AWS::DynamoDB::Table"
	not cmk_cfn
}

deny contains {"msg": sprintf("DynamoDB table %s is not encrypted with a customer managed KMS key", [input.name]), "path": ["server_side_encryption", "kms_key_arn"]} if {
	input.resource_type == "aws_dynamodb_table"
	sse := object.get(p, "server_side_encryption", {})
	not cmk_tf(lib.block(sse))
}

cmk_tf(sse) if {
	lib.is_true(sse.enabled)
	lib.customer_key(sse.kms_key_arn)
}
