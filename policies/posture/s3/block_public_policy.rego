package custody.posture.s3_block_public_policy

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_S3_BLOCK_PUBLIC_POLICY",
	"title": "S3 buckets should block public bucket policies",
	"severity": "MEDIUM",
	"resource_types": ["AWS::S3::Bucket", "aws_s3_bucket", "aws_s3_bucket_public_access_block"],
	"scope": "template",
	"checkov": ["CKV_AWS_54"],
	"trivy": ["AVD-AWS-0087"],
	"follows": "trivy and KICS: BlockPublicPolicy must be true in the bucket's public access block; a bucket without one is reported too, although S3 has blocked public access on new buckets by default since April 2023, because the template then depends on an account default that can be changed outside it.",
	"exposure": 2, "data_sensitivity": 1.5, "blast_radius": 1.5,
	"remediation": "Set PublicAccessBlockConfiguration.BlockPublicPolicy to true so that a bucket policy granting public access is refused (Terraform: block_public_policy = true in aws_s3_bucket_public_access_block).",
	"fix": {"set": {"PublicAccessBlockConfiguration": {"BlockPublicPolicy": true}}},
}

deny contains f if {
	some b in lib.buckets(input.resources)
	startswith(b.resource_type, "AWS::")
	not b.properties.PublicAccessBlockConfiguration.BlockPublicPolicy == true
	f := {
		"msg": sprintf("S3 bucket %s does not set PublicAccessBlockConfiguration.BlockPublicPolicy to true", [b.name]),
		"resource": b.address,
		"path": ["PublicAccessBlockConfiguration", "BlockPublicPolicy"],
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
	not p.properties.block_public_policy == true
	f := {"msg": sprintf("the public access block of S3 bucket %s does not set block_public_policy = true", [b.name]), "resource": p.address, "path": ["block_public_policy"]}
}
