package custody.posture.s3_replication

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_S3_REPLICATION",
	"title": "S3 buckets should replicate to another bucket",
	"severity": "LOW",
	"resource_types": ["AWS::S3::Bucket", "aws_s3_bucket", "aws_s3_bucket_replication_configuration"],
	"scope": "template",
	"checkov": ["CKV_AWS_144"],
	"cfn_guard": ["S3_BUCKET_REPLICATION_ENABLED"],
	"follows": "cfn-guard: a ReplicationConfiguration must be present (Terraform: replication_configuration block or aws_s3_bucket_replication_configuration). LOW: a resilience control, not an exposure.",
	"exposure": 1, "data_sensitivity": 1, "blast_radius": 1,
	"remediation": "Add a ReplicationConfiguration (cross-region replication) to buckets whose data must survive a regional outage or account compromise.",
}

deny contains f if {
	some b in lib.buckets(input.resources)
	startswith(b.resource_type, "AWS::")
	not b.properties.ReplicationConfiguration
	f := {"msg": sprintf("S3 bucket %s has no replication configuration", [b.name]), "resource": b.address, "path": ["ReplicationConfiguration"]}
}

deny contains f if {
	some b in lib.buckets(input.resources)
	startswith(b.resource_type, "aws_")
	not lib.has_block(b.properties, "replication_configuration")
	count(lib.tf_companions(input.resources, b, "aws_s3_bucket_replication_configuration")) == 0
	f := {"msg": sprintf("S3 bucket %s has no replication configuration", [b.name]), "resource": b.address}
}
