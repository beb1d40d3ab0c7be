package custody.posture.s3_encryption_customer_key

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_S3_ENCRYPTION_CMK",
	"title": "S3 buckets should be encrypted with a customer-managed KMS key",
	"severity": "LOW",
	"resource_types": ["AWS::S3::Bucket", "aws_s3_bucket", "aws_s3_bucket_server_side_encryption_configuration"],
	"scope": "template",
	"checkov": ["CKV_AWS_145"],
	"trivy": ["AVD-AWS-0132"],
	"follows": "trivy: the bucket's default encryption must name a KMS key (KMSMasterKeyID / kms_master_key_id). A bucket with no encryption at all is reported by CUSTODY_S3_ENCRYPTION, not twice. Buckets that receive server access logs (AccessControl LogDeliveryWrite / acl log-delivery-write) are exempt: S3 log delivery cannot write to SSE-KMS buckets.",
	"exposure": 1, "data_sensitivity": 2, "blast_radius": 1,
	"remediation": "Set ServerSideEncryptionByDefault to SSEAlgorithm aws:kms with KMSMasterKeyID naming a customer-managed key (Terraform: sse_algorithm = \"aws:kms\" and kms_master_key_id).",
}

log_bucket(b) if b.properties.AccessControl == "LogDeliveryWrite"

log_bucket(b) if b.properties.acl == "log-delivery-write"

log_bucket(b) if {
	some a in lib.tf_companions(input.resources, b, "aws_s3_bucket_acl")
	a.properties.acl == "log-delivery-write"
}

# An ACL grant or a bucket policy that lets S3 log delivery write.
log_bucket(b) if {
	some a in lib.tf_companions(input.resources, b, "aws_s3_bucket_acl")
	some acp in lib.blocks(a.properties, "access_control_policy")
	some g in lib.blocks(acp, "grant")
	some ge in lib.blocks(g, "grantee")
	ge.uri == "http://acs.amazonaws.com/groups/s3/LogDelivery"
}

log_bucket(b) if {
	some p in lib.bucket_policies(input.resources, b)
	some s in lib.permission_statements(p)
	lib.allows(s.st)
	some v in lib.principal_values(s.st)
	v in {"logging.s3.amazonaws.com", "delivery.logs.amazonaws.com"}
}

# CloudFormation: every rule of the configuration.
deny contains f if {
	some b in lib.buckets(input.resources)
	startswith(b.resource_type, "AWS::")
	not log_bucket(b)
	rules := lib.as_array(b.properties.BucketEncryption.ServerSideEncryptionConfiguration)
	some i, rule in rules
	not rule.ServerSideEncryptionByDefault.KMSMasterKeyID
	f := {
		"msg": sprintf("S3 bucket %s is not encrypted with a customer-managed KMS key", [b.name]),
		"resource": b.address,
		"path": ["BucketEncryption", "ServerSideEncryptionConfiguration", i, "ServerSideEncryptionByDefault"],
	}
}

tf_configs(b) := array.concat(
	lib.blocks(b.properties, "server_side_encryption_configuration"),
	[c.properties | some c in lib.tf_companions(input.resources, b, "aws_s3_bucket_server_side_encryption_configuration")],
)

tf_kms_key(c) if {
	some rule in lib.blocks(c, "rule")
	some d in lib.blocks(rule, "apply_server_side_encryption_by_default")
	d.kms_master_key_id
	d.kms_master_key_id != ""
}

deny contains f if {
	some b in lib.buckets(input.resources)
	startswith(b.resource_type, "aws_")
	not log_bucket(b)
	configs := tf_configs(b)
	count(configs) > 0
	not any_kms(configs)
	f := {"msg": sprintf("S3 bucket %s is not encrypted with a customer-managed KMS key", [b.name]), "resource": b.address}
}

any_kms(configs) if {
	some c in configs
	tf_kms_key(c)
}
