# With a customer managed KMS key, who may read the queue's messages is
# decided by the key policy too, and access can be audited and revoked.
package custody.posture.sqs_cmk

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_SQS_CMK",
	"title": "SQS queues should be encrypted with a customer managed KMS key",
	"severity": "LOW",
	"resource_types": ["AWS::SQS::Queue", "aws_sqs_queue"],
	"scope": "resource",
	"checkov": [],
	"kics": [],
	"trivy": ["AVD-AWS-0135"],
	"cfn_guard": ["SQS_QUEUE_KMS_MASTER_KEY_ID_RULE"],
	"cfn_nag": ["W48"],
	"follows": "cfn-guard and Trivy: KmsMasterKeyId must be set and must not be the AWS-managed alias/aws/sqs",
	"exposure": 1, "data_sensitivity": 2, "blast_radius": 1,
	"remediation": "Set KmsMasterKeyId to a customer managed KMS key (Terraform: kms_master_key_id = aws_kms_key.<name>.arn).",
}

p := input.properties

key := p.KmsMasterKeyId if input.resource_type == "AWS::SQS::Queue"

key := p.kms_master_key_id if input.resource_type == "aws_sqs_queue"

key_path := ["KmsMasterKeyId"] if input.resource_type == "AWS::SQS::Queue"

key_path := ["kms_master_key_id"] if input.resource_type == "aws_sqs_queue"

deny contains {"msg": sprintf("SQS queue %s is not encrypted with a customer managed KMS key", [input.name]), "path": key_path} if {
	input.resource_type in metadata.resource_types
	not lib.present(key)
}

deny contains {"msg": sprintf("SQS queue %s uses the AWS-managed key %s, not a customer managed key", [input.name, key]), "path": key_path} if {
	input.resource_type in metadata.resource_types
	lib.aws_managed_key(key)
}
