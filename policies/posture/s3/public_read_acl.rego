package custody.posture.s3_public_read_acl

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_S3_PUBLIC_READ_ACL",
	"title": "S3 buckets should not grant read access to everyone through a canned ACL",
	"severity": "HIGH",
	"resource_types": ["AWS::S3::Bucket", "aws_s3_bucket", "aws_s3_bucket_acl"],
	"scope": "template",
	"checkov": ["CKV_AWS_20"],
	"trivy": ["AVD-AWS-0092"],
	"cfn_guard": ["S3_BUCKET_PUBLIC_READ_ACL"],
	"cfn_nag": ["W31"],
	"follows": "cfn-guard and cfn_nag W31 split public ACLs in two: this check reports the read-only grants (PublicRead, AuthenticatedRead; Terraform public-read, authenticated-read, website) and CUSTODY_S3_PUBLIC_READ_WRITE_ACL reports PublicReadWrite, so a bucket is reported once. Trivy's AVD-AWS-0092 covers both.",
	"exposure": 2, "data_sensitivity": 2, "blast_radius": 1.5,
	"remediation": "Remove AccessControl (or set it to Private) and grant access through a bucket policy to named principals.",
}

cfn_public := {"PublicRead", "AuthenticatedRead"}

tf_public := {"public-read", "authenticated-read", "website"}

deny contains f if {
	some b in lib.buckets(input.resources)
	startswith(b.resource_type, "AWS::")
	b.properties.AccessControl in cfn_public
	f := {"msg": sprintf("S3 bucket %s grants public read access with AccessControl %s", [b.name, b.properties.AccessControl]), "resource": b.address, "path": ["AccessControl"]}
}

deny contains f if {
	some b in lib.buckets(input.resources)
	startswith(b.resource_type, "aws_")
	b.properties.acl in tf_public
	f := {"msg": sprintf("S3 bucket %s grants public read access with acl %s", [b.name, b.properties.acl]), "resource": b.address, "path": ["acl"]}
}

deny contains f if {
	some b in lib.buckets(input.resources)
	startswith(b.resource_type, "aws_")
	some a in lib.tf_companions(input.resources, b, "aws_s3_bucket_acl")
	a.properties.acl in tf_public
	f := {"msg": sprintf("S3 bucket %s grants public read access with acl %s", [b.name, a.properties.acl]), "resource": a.address, "path": ["acl"]}
}
