# Unlike DynamoDB, DAX clusters are not encrypted at rest unless asked to
# be, and the setting cannot be changed after creation.
package custody.posture.dynamodb_dax_encryption

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_DAX_ENCRYPTION",
	"title": "DAX clusters should be encrypted at rest",
	"severity": "HIGH",
	"resource_types": ["AWS::DAX::Cluster", "aws_dax_cluster"],
	"scope": "resource",
	"checkov": ["CKV_AWS_47"],
	"kics": [],
	"trivy": ["AVD-AWS-0023"],
	"cfn_guard": [],
	"cfn_nag": [],
	"follows": "trivy and Checkov: SSESpecification.SSEEnabled (Terraform: server_side_encryption.enabled) must be true",
	"exposure": 1, "data_sensitivity": 3, "blast_radius": 1,
	"remediation": "Set SSESpecification.SSEEnabled: true (Terraform: server_side_encryption { enabled = true }); the cluster has to be re-created.",
	"fix": {"set": {"SSESpecification": {"SSEEnabled": true}}},
}

p := input.properties

deny contains {"msg": sprintf("DAX cluster %s is not encrypted at rest", [input.name]), "path": ["SSESpecification", "SSEEnabled"], "fix": {"set": {"SSESpecification": {"SSEEnabled": true}}}} if {
	input.resource_type == "AWS::DAX::Cluster"
	not lib.is_true(p.SSESpecification.SSEEnabled)
	not lib.intrinsic(p.SSESpecification)
}

deny contains {"msg": sprintf("DAX cluster %s is not encrypted at rest", [input.name]), "path": ["server_side_encryption", "enabled"], "fix": {"set": {"server_side_encryption": {"enabled": true}}}} if {
	input.resource_type == "aws_dax_cluster"
	not lib.is_true(lib.block(p.server_side_encryption).enabled)
}
