# Log groups hold whatever applications print, secrets included; with a
# customer managed key, reading them needs kms:Decrypt too.
package custody.posture.cloudwatch_log_group_kms

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_LOG_GROUP_KMS",
	"title": "CloudWatch log groups should be encrypted with a customer managed KMS key",
	"severity": "LOW",
	"resource_types": ["AWS::Logs::LogGroup", "aws_cloudwatch_log_group"],
	"scope": "resource",
	"checkov": ["CKV_AWS_158"],
	"kics": [],
	"trivy": [],
	"cfn_guard": ["CLOUDWATCH_LOG_GROUP_ENCRYPTED"],
	"cfn_nag": ["W84"],
	"follows": "cfn-guard and Checkov: KmsKeyId must be set (CloudWatch Logs otherwise encrypts with its own service key)",
	"exposure": 1, "data_sensitivity": 2, "blast_radius": 1,
	"remediation": "Set KmsKeyId to a customer managed KMS key whose policy allows the logs service principal (Terraform: kms_key_id).",
}

p := input.properties

deny contains {"msg": sprintf("Log group %s is not encrypted with a customer managed KMS key (KmsKeyId)", [input.name]), "path": ["KmsKeyId"]} if {
	input.resource_type == "AWS::Logs::LogGroup"
	not lib.present(p.KmsKeyId)
}

deny contains {"msg": sprintf("Log group %s is not encrypted with a customer managed KMS key (kms_key_id)", [input.name]), "path": ["kms_key_id"]} if {
	input.resource_type == "aws_cloudwatch_log_group"
	not lib.present(p.kms_key_id)
}
