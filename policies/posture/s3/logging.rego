package custody.posture.s3_access_logging

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_S3_ACCESS_LOGGING",
	"title": "S3 buckets should have server access logging enabled",
	"severity": "MEDIUM",
	"resource_types": ["AWS::S3::Bucket", "aws_s3_bucket", "aws_s3_bucket_logging"],
	"scope": "template",
	"checkov": ["CKV_AWS_18"],
	"kics": ["4552b71f-0a2a-4bc4-92dd-ed7ec1b4674c"],
	"trivy": ["AVD-AWS-0089"],
	"cfn_guard": ["S3_BUCKET_LOGGING_ENABLED"],
	"cfn_nag": ["W35"],
	"follows": "trivy: a bucket that is itself a log destination (AccessControl LogDeliveryWrite, acl log-delivery-write) is exempt, since logging it into itself or another bucket adds cost but no audit value; KICS and cfn-guard have no such exemption but their labelled cases contain no log bucket.",
	"exposure": 1, "data_sensitivity": 1, "blast_radius": 1,
	"remediation": "Add LoggingConfiguration with a DestinationBucketName (Terraform: an aws_s3_bucket_logging resource or a logging block).",
}

log_bucket(b) if b.properties.AccessControl == "LogDeliveryWrite"

log_bucket(b) if b.properties.acl == "log-delivery-write"

log_bucket(b) if {
	some a in lib.tf_companions(input.resources, b, "aws_s3_bucket_acl")
	a.properties.acl == "log-delivery-write"
}

deny contains f if {
	some b in lib.buckets(input.resources)
	startswith(b.resource_type, "AWS::")
	not b.properties.LoggingConfiguration
	not log_bucket(b)
	f := {"msg": sprintf("S3 bucket %s has no server access logging", [b.name]), "resource": b.address, "path": ["LoggingConfiguration"]}
}

deny contains f if {
	some b in lib.buckets(input.resources)
	startswith(b.resource_type, "aws_")
	not lib.has_block(b.properties, "logging")
	count(lib.tf_companions(input.resources, b, "aws_s3_bucket_logging")) == 0
	not log_bucket(b)
	f := {"msg": sprintf("S3 bucket %s has no server access logging", [b.name]), "resource": b.address, "path": ["logging"]}
}
