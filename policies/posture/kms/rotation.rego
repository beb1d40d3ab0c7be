package custody.posture.kms_rotation

import rego.v1

metadata := {
	"id": "CUSTODY_KMS_ROTATION",
	"title": "Symmetric KMS keys should have automatic rotation enabled",
	"severity": "MEDIUM",
	"resource_types": ["AWS::KMS::Key", "aws_kms_key"],
	"scope": "resource",
	"checkov": ["CKV_AWS_7"],
	"trivy": ["AVD-AWS-0065"],
	"cfn_guard": ["CMK_BACKING_KEY_ROTATION_ENABLED"],
	"cfn_nag": ["F19"],
	"follows": "trivy and Checkov: EnableKeyRotation (enable_key_rotation) must be true, except for keys AWS cannot rotate: asymmetric and HMAC keys (KeySpec / customer_master_key_spec other than SYMMETRIC_DEFAULT, KeyUsage SIGN_VERIFY or GENERATE_VERIFY_MAC). cfn-guard has no such exemption; its labelled cases contain no asymmetric key.",
	"exposure": 1, "data_sensitivity": 1.5, "blast_radius": 1.5,
	"remediation": "Set EnableKeyRotation: true (Terraform: enable_key_rotation = true).",
	"fix": {"set": {"EnableKeyRotation": true}},
}

cannot_rotate(p) if object.get(p, "KeySpec", "SYMMETRIC_DEFAULT") != "SYMMETRIC_DEFAULT"

cannot_rotate(p) if object.get(p, "KeyUsage", "ENCRYPT_DECRYPT") in {"SIGN_VERIFY", "GENERATE_VERIFY_MAC"}

cannot_rotate(p) if object.get(p, "customer_master_key_spec", "SYMMETRIC_DEFAULT") != "SYMMETRIC_DEFAULT"

cannot_rotate(p) if object.get(p, "key_usage", "ENCRYPT_DECRYPT") in {"SIGN_VERIFY", "GENERATE_VERIFY_MAC"}

deny contains f if {
	input.resource_type in {"AWS::KMS::Key", "aws_kms_key"}
	startswith(input.resource_type, "AWS::")
	not cannot_rotate(input.properties)
	not input.properties.EnableKeyRotation in {true, "true"}
	f := {"msg": sprintf("KMS key %s does not have automatic rotation enabled", [input.name]), "path": ["EnableKeyRotation"]}
}

deny contains f if {
	input.resource_type in {"AWS::KMS::Key", "aws_kms_key"}
	startswith(input.resource_type, "aws_")
	not cannot_rotate(input.properties)
	not input.properties.enable_key_rotation == true
	f := {"msg": sprintf("KMS key %s does not have automatic rotation enabled", [input.name]), "path": ["enable_key_rotation"]}
}
