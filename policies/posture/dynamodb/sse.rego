# SSESpecification.SSEEnabled switches a table from the AWS owned key to
# KMS (AWS-managed or customer managed), whose use shows in CloudTrail.
package custody.posture.dynamodb_sse

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_DYNAMODB_SSE",
	"title": "DynamoDB tables should enable KMS server-side encryption",
	"severity": "LOW",
	"resource_types": ["AWS::DynamoDB::Table", "AWS::Serverless::SimpleTable"],
	"scope": "resource",
	"checkov": [],
	"kics": [],
	"trivy": ["AVD-AWS-0121"],
	"cfn_guard": ["DYNAMODB_TABLE_MUST_BE_ENCRYPTED"],
	"cfn_nag": [],
	"follows": "cfn-guard and Trivy: SSESpecification.SSEEnabled must be true, although DynamoDB always encrypts at rest with an AWS owned key (hence LOW)",
	"exposure": 1, "data_sensitivity": 2, "blast_radius": 1,
	"remediation": "Set SSESpecification.SSEEnabled: true (with SSEType KMS and a KMSMasterKeyId for a customer managed key).",
	"fix": {"set": {"SSESpecification": {"SSEEnabled": true}}},
}

p := input.properties

deny contains {"msg": sprintf("%s %s does not enable KMS server-side encryption (SSESpecification.SSEEnabled)", [input.resource_type, input.name]), "path": ["SSESpecification", "SSEEnabled"], "fix": {"set": {"SSESpecification": {"SSEEnabled": true}}}} if {
	input.resource_type in metadata.resource_types
	not lib.is_true(p.SSESpecification.SSEEnabled)
	not lib.intrinsic(p.SSESpecification)
	not lib.intrinsic(p.SSESpecification.SSEEnabled)
}
