package custody.posture.s3_encryption

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_S3_ENCRYPTION",
	"title": "S3 buckets should declare default server-side encryption",
	"severity": "MEDIUM",
	"resource_types": ["AWS::S3::Bucket", "aws_s3_bucket", "aws_s3_bucket_server_side_encryption_configuration"],
	"scope": "template",
	"checkov": ["CKV_AWS_19"],
	"kics": ["b2e8752c-3497-4255-98d2-e4ae5b46bbf5"],
	"trivy": ["AVD-AWS-0088"],
	"cfn_guard": ["S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED", "S3_DEFAULT_ENCRYPTION_KMS"],
	"cfn_nag": ["W41"],
	"follows": "cfn-guard and KICS: a bucket without BucketEncryption is reported. Checkov's CKV_AWS_19 passes it because S3 has encrypted new objects with SSE-S3 by default since January 2023; declaring the encryption keeps the template explicit and lets reviewers see which key protects the data. Either SSE-S3 (AES256) or SSE-KMS passes.",
	"exposure": 1, "data_sensitivity": 2, "blast_radius": 1.5,
	"remediation": "Add BucketEncryption.ServerSideEncryptionConfiguration with SSEAlgorithm aws:kms (and a KMSMasterKeyID) or AES256; in Terraform add a server_side_encryption_configuration block or an aws_s3_bucket_server_side_encryption_configuration resource.",
	"fix": {"set": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}}},
}

deny contains f if {
	some b in lib.buckets(input.resources)
	startswith(b.resource_type, "AWS::")
	not b.properties.BucketEncryption
	f := {"msg": sprintf("S3 bucket %s has no BucketEncryption", [b.name]), "resource": b.address, "path": ["BucketEncryption"]}
}

deny contains f if {
	some b in lib.buckets(input.resources)
	startswith(b.resource_type, "aws_")
	not lib.has_block(b.properties, "server_side_encryption_configuration")
	count(lib.tf_companions(input.resources, b, "aws_s3_bucket_server_side_encryption_configuration")) == 0
	f := {"msg": sprintf("S3 bucket %s has no server-side encryption configuration", [b.name]), "resource": b.address}
}
