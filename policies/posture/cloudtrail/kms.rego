# Trail logs are encrypted with SSE-S3 unless a KMS key is given; with a
# customer managed key, reading them needs kms:Decrypt as well as S3 access.
package custody.posture.cloudtrail_kms

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_CLOUDTRAIL_KMS",
	"title": "CloudTrail trails should encrypt logs with a customer managed KMS key",
	"severity": "MEDIUM",
	"resource_types": ["AWS::CloudTrail::Trail", "aws_cloudtrail"],
	"scope": "resource",
	"checkov": ["CKV_AWS_35"],
	"kics": [],
	"trivy": ["AVD-AWS-0015"],
	"cfn_guard": ["CLOUD_TRAIL_ENCRYPTION_ENABLED"],
	"cfn_nag": [],
	"follows": "all agree: KMSKeyId must be set (the property is also accepted as KmsKeyId, the spelling in Trivy's examples)",
	"exposure": 1, "data_sensitivity": 2, "blast_radius": 3,
	"remediation": "Set KMSKeyId to a customer managed KMS key whose policy lets CloudTrail encrypt (Terraform: kms_key_id).",
}

p := input.properties

deny contains {"msg": sprintf("CloudTrail trail %s does not encrypt its logs with a KMS key (KMSKeyId)", [input.name]), "path": ["KMSKeyId"]} if {
	input.resource_type == "AWS::CloudTrail::Trail"
	not lib.present(p.KMSKeyId)
	not lib.present(p.KmsKeyId)
}

deny contains {"msg": sprintf("CloudTrail trail %s does not encrypt its logs with a KMS key (kms_key_id)", [input.name]), "path": ["kms_key_id"]} if {
	input.resource_type == "aws_cloudtrail"
	not lib.present(p.kms_key_id)
}
