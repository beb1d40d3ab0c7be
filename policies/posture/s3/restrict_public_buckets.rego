package custody.posture.s3_restrict_public_buckets

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_S3_RESTRICT_PUBLIC_BUCKETS",
	"title": "S3 buckets should restrict public bucket policies",
	"severity": "MEDIUM",
	"resource_types": ["AWS::S3::Bucket", "aws_s3_bucket", "aws_s3_bucket_public_access_block"],
	"scope": "template",
	"checkov": ["CKV_AWS_56"],
	"kics": ["350cd468-0e2c-44ef-9d22-cfb73a62523c"],
	"trivy": ["AVD-AWS-0093"],
	"follows": "trivy and KICS: RestrictPublicBuckets must be true in the bucket's public access block; a bucket without one is reported too, although S3 has blocked public access on new buckets by default since April 2023, because the template then depends on an account default that can be changed outside it.",
	"exposure": 2, "data_sensitivity": 1.5, "blast_radius": 1.5,
	"remediation": "Set PublicAccessBlockConfiguration.RestrictPublicBuckets to true so that access through a public bucket policy is limited to AWS services and the owner account (Terraform: restrict_public_buckets = true in aws_s3_bucket_public_access_block).",
	"fix": {"set": {"PublicAccessBlockConfiguration": {"RestrictPublicBuckets": true}}},
}

deny contains f if {
	some b in lib.buckets(input.resources)
	startswith(b.resource_type, "AWS::")
	not b.properties.PublicAccessBlockConfiguration.RestrictPublicBuckets == true
	f := {
		"msg": sprintf("S3 bucket %s does not set PublicAccessBlockConfiguration.RestrictPublicBuckets to true", [b.name]),
		"resource": b.address,
		"path": ["PublicAccessBlockConfiguration", "RestrictPublicBuckets"],
	}
}

deny contains f if {
	some b in lib.buckets(input.resources)
	startswith(b.resource_type, "aws_")
	blocks := lib.tf_companions(input.resources, b, "aws_s3_bucket_public_access_block")
	count(blocks) == 0
	f := {"msg": sprintf("S3 bucket %s has no public access block", [b.name]), "resource": b.address}
}

deny contains f if {
	some b in lib.buckets(input.resources)
	startswith(b.resource_type, "aws_")
	some p in lib.tf_companions(input.resources, b, "aws_s3_bucket_public_access_block")
	not p.properties.restrict_public_buckets == true
	f := {"msg": sprintf("the public access block of S3 bucket %s does not set restrict_public_buckets = true", [b.name]), "resource": p.address, "path": ["restrict_public_buckets"]}
}
