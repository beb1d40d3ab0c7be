# The AWS-managed alias/aws/sns key cannot be shared with other accounts or
# have its policy changed; a customer managed key can be audited and revoked.
package custody.posture.sns_cmk

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_SNS_CMK",
	"title": "SNS topics should be encrypted with a customer managed KMS key",
	"severity": "LOW",
	"resource_types": ["AWS::SNS::Topic", "aws_sns_topic"],
	"scope": "resource",
	"checkov": [],
	"kics": [],
	"trivy": ["AVD-AWS-0136"],
	"cfn_guard": [],
	"cfn_nag": [],
	"follows": "trivy: only topics encrypted with an AWS-managed alias are reported; unencrypted topics are CUSTODY_SNS_ENCRYPTION",
	"exposure": 1, "data_sensitivity": 2, "blast_radius": 1,
	"remediation": "Set KmsMasterKeyId to a customer managed KMS key (Terraform: kms_master_key_id = aws_kms_key.<name>.arn).",
}

key := input.properties.KmsMasterKeyId if input.resource_type == "AWS::SNS::Topic"

key := input.properties.kms_master_key_id if input.resource_type == "aws_sns_topic"

deny contains {"msg": sprintf("SNS topic %s uses the AWS-managed key %s, not a customer managed key", [input.name, key]), "path": [{"AWS::SNS::Topic": "KmsMasterKeyId", "aws_sns_topic": "kms_master_key_id"}[input.resource_type]]} if {
	input.resource_type in metadata.resource_types
	lib.aws_managed_key(key)
}
