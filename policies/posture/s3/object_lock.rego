package custody.posture.s3_object_lock

import rego.v1

metadata := {
	"id": "CUSTODY_S3_OBJECT_LOCK",
	"title": "S3 buckets should have Object Lock enabled",
	"severity": "LOW",
	"resource_types": ["AWS::S3::Bucket", "aws_s3_bucket"],
	"scope": "resource",
	"checkov": ["CKV_AWS_143"],
	"cfn_guard": ["S3_BUCKET_DEFAULT_LOCK_ENABLE"],
	"follows": "cfn-guard: ObjectLockEnabled must be true (Terraform: object_lock_enabled = true or an object_lock_configuration block). LOW: write-once retention matters for audit and backup buckets, not for every bucket.",
	"exposure": 1, "data_sensitivity": 1.5, "blast_radius": 1,
	"remediation": "Set ObjectLockEnabled: true (with VersioningConfiguration enabled) on buckets that hold records that must not be altered or deleted.",
	"fix": {"set": {"ObjectLockEnabled": true}},
}

deny contains f if {
	input.resource_type in {"AWS::S3::Bucket", "aws_s3_bucket"}
	startswith(input.resource_type, "AWS::")
	not input.properties.ObjectLockEnabled == true
	f := {"msg": sprintf("S3 bucket %s does not have Object Lock enabled", [input.name]), "path": ["ObjectLockEnabled"]}
}

lock_configured if {
	some c in [b | some b in as_array(object.get(input.properties, "object_lock_configuration", [])); b != null]
	c.object_lock_enabled == "Enabled"
}

as_array(x) := x if is_array(x)

as_array(x) := [x] if not is_array(x)

deny contains f if {
	input.resource_type in {"AWS::S3::Bucket", "aws_s3_bucket"}
	startswith(input.resource_type, "aws_")
	not input.properties.object_lock_enabled == true
	not lock_configured
	f := {"msg": sprintf("S3 bucket %s does not have Object Lock enabled", [input.name]), "path": ["object_lock_enabled"]}
}
