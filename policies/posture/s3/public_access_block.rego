package custody.posture.s3_public_access_block

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_S3_PUBLIC_ACCESS_BLOCK",
	"title": "S3 buckets should have a public access block with all four settings on",
	"severity": "HIGH",
	"resource_types": ["AWS::S3::Bucket", "aws_s3_bucket", "aws_s3_bucket_public_access_block"],
	"scope": "template",
	"trivy": ["AVD-AWS-0094"],
	"cfn_guard": ["S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED", "S3_BUCKET_PUBLIC_READ_PROHIBITED", "S3_BUCKET_PUBLIC_WRITE_PROHIBITED"],
	"follows": "cfn-guard for CloudFormation: the bucket needs PublicAccessBlockConfiguration with BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls and RestrictPublicBuckets all true. Trivy's AVD-AWS-0094 only asks that a block exists (its Terraform example passes with two settings), so Terraform buckets are reported when they have no aws_s3_bucket_public_access_block; the individual settings are the four CUSTODY_S3_* setting checks.",
	"exposure": 2, "data_sensitivity": 1.5, "blast_radius": 1.5,
	"remediation": "Add PublicAccessBlockConfiguration with BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls and RestrictPublicBuckets set to true (Terraform: an aws_s3_bucket_public_access_block resource for the bucket).",
	"fix": {"set": {"PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true}}},
}

settings := ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"]

deny contains f if {
	some b in lib.buckets(input.resources)
	startswith(b.resource_type, "AWS::")
	not b.properties.PublicAccessBlockConfiguration
	f := {"msg": sprintf("S3 bucket %s has no PublicAccessBlockConfiguration", [b.name]), "resource": b.address, "path": ["PublicAccessBlockConfiguration"]}
}

deny contains f if {
	some b in lib.buckets(input.resources)
	startswith(b.resource_type, "AWS::")
	pab := b.properties.PublicAccessBlockConfiguration
	off := [s | some s in settings; not pab[s] == true]
	count(off) > 0
	f := {
		"msg": sprintf("S3 bucket %s does not turn on %s in PublicAccessBlockConfiguration", [b.name, concat(", ", off)]),
		"resource": b.address,
		"path": ["PublicAccessBlockConfiguration", off[0]],
	}
}

deny contains f if {
	some b in lib.buckets(input.resources)
	startswith(b.resource_type, "aws_")
	count(lib.tf_companions(input.resources, b, "aws_s3_bucket_public_access_block")) == 0
	f := {"msg": sprintf("S3 bucket %s has no public access block", [b.name]), "resource": b.address}
}
