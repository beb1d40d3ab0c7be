# Messages at rest in a queue are encrypted only when the queue says so:
# SSE-SQS (SqsManagedSseEnabled) or SSE-KMS (KmsMasterKeyId).
package custody.posture.sqs_encryption

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_SQS_ENCRYPTION",
	"title": "SQS queues should be encrypted at rest",
	"severity": "MEDIUM",
	"resource_types": ["AWS::SQS::Queue", "aws_sqs_queue"],
	"scope": "resource",
	"checkov": ["CKV_AWS_27"],
	"kics": ["12726829-93ed-4d51-9cbe-13423f4299e1"],
	"trivy": ["AVD-AWS-0096"],
	"cfn_guard": [],
	"cfn_nag": [],
	"follows": "kics and Trivy: encryption must be declared (KmsMasterKeyId, or SqsManagedSseEnabled true), although SQS now applies SSE-SQS to new queues by default, because an explicit setting survives account defaults and older API paths; reported at Properties (where KmsMasterKeyId belongs) as KICS does. The stricter customer-managed-key rule (cfn-guard) is CUSTODY_SQS_CMK",
	"exposure": 1, "data_sensitivity": 2, "blast_radius": 1,
	"remediation": "Set KmsMasterKeyId to a KMS key, or SqsManagedSseEnabled: true (Terraform: kms_master_key_id or sqs_managed_sse_enabled = true).",
	"fix": {"set": {"SqsManagedSseEnabled": true}},
}

p := input.properties

encrypted if lib.present(p.KmsMasterKeyId)

encrypted if lib.is_true(p.SqsManagedSseEnabled)

encrypted if lib.intrinsic(p.SqsManagedSseEnabled)

encrypted if lib.present(p.kms_master_key_id)

encrypted if lib.is_true(p.sqs_managed_sse_enabled)

deny contains {"msg": sprintf("SQS queue %s is not encrypted at rest (no KmsMasterKeyId and SqsManagedSseEnabled is not true)", [input.name]), "path": ["KmsMasterKeyId"], "fix": {"set": {"SqsManagedSseEnabled": true}}} if {
	input.resource_type == "AWS::SQS::Queue"
	not encrypted
}

deny contains {"msg": sprintf("SQS queue %s is not encrypted at rest (no kms_master_key_id and sqs_managed_sse_enabled is not true)", [input.name]), "path": ["sqs_managed_sse_enabled"], "fix": {"set": {"sqs_managed_sse_enabled": true}}} if {
	input.resource_type == "aws_sqs_queue"
	not encrypted
}
