# Secrets encrypted with the AWS-managed aws/secretsmanager key cannot be
# shared with other accounts, and the key's use cannot be restricted.
package custody.posture.secretsmanager_cmk

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_SECRETSMANAGER_CMK",
	"title": "Secrets Manager secrets should be encrypted with a customer managed KMS key",
	"severity": "LOW",
	"resource_types": ["AWS::SecretsManager::Secret", "aws_secretsmanager_secret"],
	"scope": "resource",
	"checkov": ["CKV_AWS_149"],
	"kics": ["c8ae9ba9-c2f7-4e5c-b32e-a4b7712d4d22"],
	"trivy": ["AVD-AWS-0098"],
	"cfn_guard": ["SECRETSMANAGER_USING_CMK"],
	"cfn_nag": ["W77"],
	"follows": "all agree that KmsKeyId must be set; cfn-guard and Trivy also reject the AWS-managed alias/aws/secretsmanager, and are followed",
	"exposure": 1, "data_sensitivity": 3, "blast_radius": 1,
	"remediation": "Set KmsKeyId to a customer managed KMS key (Terraform: kms_key_id = aws_kms_key.<name>.arn).",
}

key := input.properties.KmsKeyId if input.resource_type == "AWS::SecretsManager::Secret"

key := input.properties.kms_key_id if input.resource_type == "aws_secretsmanager_secret"

key_path := ["KmsKeyId"] if input.resource_type == "AWS::SecretsManager::Secret"

key_path := ["kms_key_id"] if input.resource_type == "aws_secretsmanager_secret"

deny contains {"msg": sprintf("Secret %s is not encrypted with a customer managed KMS key (no KmsKeyId)", [input.name]), "path": key_path} if {
	input.resource_type in metadata.resource_types
	not lib.present(key)
}

deny contains {"msg": sprintf("Secret %s uses the AWS-managed key %s, not a customer managed key", [input.name, key]), "path": key_path} if {
	input.resource_type in metadata.resource_types
	lib.aws_managed_key(key)
}
