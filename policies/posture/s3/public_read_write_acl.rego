package custody.posture.s3_public_read_write_acl

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_S3_PUBLIC_READ_WRITE_ACL",
	"title": "S3 buckets should not grant read and write access to everyone through a canned ACL",
	"severity": "CRITICAL",
	"resource_types": ["AWS::S3::Bucket", "aws_s3_bucket", "aws_s3_bucket_acl"],
	"scope": "template",
	"checkov": ["CKV_AWS_57"],
	"trivy": ["AVD-AWS-0092"],
	"cfn_guard": ["S3_BUCKET_NO_PUBLIC_RW_ACL"],
	"cfn_nag": ["F14"],
	"follows": "cfn-guard and cfn_nag F14: PublicReadWrite (Terraform public-read-write) is reported here; read-only public ACLs by CUSTODY_S3_PUBLIC_READ_ACL.",
	"exposure": 2, "data_sensitivity": 2, "blast_radius": 2,
	"remediation": "Remove AccessControl PublicReadWrite (or set it to Private); nobody outside the account should be able to write objects.",
	"fix": {"set": {"AccessControl": "Private"}},
}

deny contains f if {
	some b in lib.buckets(input.resources)
	startswith(b.resource_type, "AWS::")
	b.properties.AccessControl == "PublicReadWrite"
	f := {"msg": sprintf("S3 bucket %s lets anyone read and write with AccessControl PublicReadWrite", [b.name]), "resource": b.address, "path": ["AccessControl"]}
}

deny contains f if {
	some b in lib.buckets(input.resources)
	startswith(b.resource_type, "aws_")
	b.properties.acl == "public-read-write"
	f := {"msg": sprintf("S3 bucket %s lets anyone read and write with acl public-read-write", [b.name]), "resource": b.address, "path": ["acl"]}
}

deny contains f if {
	some b in lib.buckets(input.resources)
	startswith(b.resource_type, "aws_")
	some a in lib.tf_companions(input.resources, b, "aws_s3_bucket_acl")
	a.properties.acl == "public-read-write"
	f := {"msg": sprintf("S3 bucket %s lets anyone read and write with acl public-read-write", [b.name]), "resource": a.address, "path": ["acl"]}
}
