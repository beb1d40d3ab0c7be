package custody.posture.s3_versioning

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_S3_VERSIONING",
	"title": "S3 buckets should have versioning enabled",
	"severity": "MEDIUM",
	"resource_types": ["AWS::S3::Bucket", "aws_s3_bucket", "aws_s3_bucket_versioning"],
	"scope": "template",
	"checkov": ["CKV_AWS_21"],
	"kics": ["a227ec01-f97a-4084-91a4-47b350c1db54"],
	"trivy": ["AVD-AWS-0090"],
	"cfn_guard": ["S3_BUCKET_VERSIONING_ENABLED"],
	"follows": "all agree: VersioningConfiguration.Status must be Enabled (Suspended or absent fails); in Terraform the bucket's versioning block or an aws_s3_bucket_versioning resource with status Enabled.",
	"exposure": 1, "data_sensitivity": 1.5, "blast_radius": 1.5,
	"remediation": "Set VersioningConfiguration.Status to Enabled (Terraform: aws_s3_bucket_versioning with versioning_configuration { status = \"Enabled\" }).",
	"fix": {"set": {"VersioningConfiguration": {"Status": "Enabled"}}},
}

deny contains f if {
	some b in lib.buckets(input.resources)
	startswith(b.resource_type, "AWS::")
	not b.properties.VersioningConfiguration.Status == "Enabled"
	f := {"msg": sprintf("S3 bucket %s does not have versioning enabled", [b.name]), "resource": b.address, "path": ["VersioningConfiguration", "Status"]}
}

tf_enabled(b) if {
	some v in lib.blocks(b.properties, "versioning")
	v.enabled == true
}

tf_enabled(b) if {
	some v in lib.tf_companions(input.resources, b, "aws_s3_bucket_versioning")
	some c in lib.blocks(v.properties, "versioning_configuration")
	c.status == "Enabled"
}

deny contains f if {
	some b in lib.buckets(input.resources)
	startswith(b.resource_type, "aws_")
	not tf_enabled(b)
	f := {"msg": sprintf("S3 bucket %s does not have versioning enabled", [b.name]), "resource": b.address, "path": ["versioning", "enabled"]}
}
