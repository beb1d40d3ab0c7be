# SNS does not encrypt topics unless a KMS key is given: messages then sit
# in clear on SNS's storage until they are delivered.
package custody.posture.sns_encryption

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_SNS_ENCRYPTION",
	"title": "SNS topics should be encrypted at rest",
	"severity": "MEDIUM",
	"resource_types": ["AWS::SNS::Topic", "aws_sns_topic"],
	"scope": "resource",
	"checkov": ["CKV_AWS_26"],
	"kics": [],
	"trivy": ["AVD-AWS-0095"],
	"cfn_guard": ["SNS_ENCRYPTED_KMS"],
	"cfn_nag": ["W47"],
	"follows": "cfn-guard, Trivy and Checkov: KmsMasterKeyId must be set (alias/aws/sns counts; CUSTODY_SNS_CMK asks for a customer managed key)",
	"exposure": 1, "data_sensitivity": 2, "blast_radius": 1,
	"remediation": "Set KmsMasterKeyId to a KMS key (Terraform: kms_master_key_id), ideally a customer managed one.",
	"fix": {"set": {"KmsMasterKeyId": "alias/aws/sns"}},
}

p := input.properties

deny contains {"msg": sprintf("SNS topic %s is not encrypted at rest (KmsMasterKeyId is not set)", [input.name]), "path": ["KmsMasterKeyId"], "fix": {"set": {"KmsMasterKeyId": "alias/aws/sns"}}} if {
	input.resource_type == "AWS::SNS::Topic"
	not lib.present(p.KmsMasterKeyId)
}

deny contains {"msg": sprintf("SNS topic %s is not encrypted at rest (kms_master_key_id is not set)", [input.name]), "path": ["kms_master_key_id"], "fix": {"set": {"kms_master_key_id": "alias/aws/sns"}}} if {
	input.resource_type == "aws_sns_topic"
	not lib.present(p.kms_master_key_id)
}
