package custody.posture.s3_mfa_delete

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_S3_MFA_DELETE",
	"title": "S3 bucket versioning should require MFA to delete object versions",
	"severity": "LOW",
	"resource_types": ["aws_s3_bucket", "aws_s3_bucket_versioning"],
	"scope": "template",
	"checkov": [],
	"trivy": ["AVD-AWS-0170"],
	"follows": "trivy: Terraform buckets need mfa_delete in their versioning configuration. CloudFormation cannot set MFA delete (only the root user's API call can), so CloudFormation buckets are not checked.",
	"exposure": 1, "data_sensitivity": 1.5, "blast_radius": 1,
	"remediation": "Enable MFA delete: versioning_configuration { status = \"Enabled\" mfa_delete = \"Enabled\" } on aws_s3_bucket_versioning (applied with the root user's MFA device).",
}

mfa_on(b) if {
	some v in lib.blocks(b.properties, "versioning")
	v.mfa_delete == true
}

mfa_on(b) if {
	some v in lib.tf_companions(input.resources, b, "aws_s3_bucket_versioning")
	some c in lib.blocks(v.properties, "versioning_configuration")
	c.mfa_delete == "Enabled"
}

deny contains f if {
	some b in lib.buckets(input.resources)
	startswith(b.resource_type, "aws_")
	not mfa_on(b)
	f := {"msg": sprintf("S3 bucket %s does not require MFA to delete versions", [b.name]), "resource": b.address}
}
