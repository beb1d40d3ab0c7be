package custody.posture.s3_ignore_public_acls

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_S3_IGNORE_PUBLIC_ACLS",
	"title": "S3 buckets should ignore public ACLs",
	"severity": "MEDIUM",
	"resource_types": ["AWS::S3::Bucket", "aws_s3_bucket", "aws_s3_bucket_public_access_block"],
	"scope": "template",
	"checkov": ["CKV_AWS_55"],
	"kics": ["6c8d51af-218d-4bfb-94a9-94eabaa0703a"],
	"trivy": ["AVD-AWS-0091"],
	"follows": "trivy and KICS: IgnorePublicAcls must be true in the bucket's public access block; a bucket without one is reported too, although S3 has blocked public access on new buckets by default since April 2023, because the template then depends on an account default that can be changed outside it.",
	"exposure": 2, "data_sensitivity": 1.5, "blast_radius": 1.5,
	"remediation": "Set PublicAccessBlockConfiguration.IgnorePublicAcls to true so that existing public ACLs are ignored (Terraform: ignore_public_acls = true in aws_s3_bucket_public_access_block).",
	"fix": {"set": {"PublicAccessBlockConfiguration": {"IgnorePublicAcls": true}}},
}

deny contains f if {
	some b in lib.buckets(input.resources)
	startswith(b.resource_type, "AWS::")
	not b.properties.PublicAccessBlockConfiguration.IgnorePublicAcls == true
	f := {
		"msg": sprintf("S3 bucket %s does not set PublicAccessBlockConfiguration.IgnorePublicAcls to true", [b.name]),
		"resource": b.address,
		"path": ["PublicAccessBlockConfiguration", "IgnorePublicAcls"],
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
	not p.properties.ignore_public_acls == true
	f := {"msg": sprintf("the public access block of S3 bucket %s does not set ignore_public_acls = true", [b.name]), "resource": p.address, "path": ["ignore_public_acls"]}
}
