# Point-in-time recovery restores a table to any second of the last 35
# days: the way back from a bad deploy, a buggy batch job or ransomware.
package custody.posture.dynamodb_pitr

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_DYNAMODB_PITR",
	"title": "DynamoDB tables should have point-in-time recovery enabled",
	"severity": "MEDIUM",
	"resource_types": ["AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable", "aws_dynamodb_table"],
	"scope": "resource",
	"checkov": ["CKV_AWS_28"],
	"kics": [],
	"trivy": ["AVD-AWS-0024"],
	"cfn_guard": ["DYNAMODB_PITR_ENABLED"],
	"cfn_nag": ["W78"],
	"follows": "all agree: PointInTimeRecoveryEnabled must be true (absent is off)",
	"exposure": 1, "data_sensitivity": 2, "blast_radius": 2,
	"remediation": "Set PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled: true (Terraform: point_in_time_recovery { enabled = true }).",
	"fix": {"set": {"PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}}},
}

p := input.properties

pitr_on(spec) if lib.is_true(spec.PointInTimeRecoveryEnabled)

pitr_on(spec) if lib.intrinsic(spec)

pitr_on(spec) if lib.intrinsic(spec.PointInTimeRecoveryEnabled)

deny contains {"msg": sprintf("DynamoDB table %s does not have point-in-time recovery enabled", [input.name]), "path": ["PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"], "fix": {"set": {"PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}}}} if {
	input.resource_type == "AWS::DynamoDB::Table"
	not pitr_on(p.PointInTimeRecoverySpecification)
}

# Global tables set it per replica.
deny contains {"msg": sprintf("DynamoDB global table %s replica %d does not have point-in-time recovery enabled", [input.name, i]), "path": ["Replicas", i, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"]} if {
	input.resource_type == "AWS::DynamoDB::GlobalTable"
	some i, r in lib.as_array(p.Replicas)
	is_object(r)
	not pitr_on(r.PointInTimeRecoverySpecification)
}

deny contains {"msg": sprintf("DynamoDB table %s does not have point-in-time recovery enabled", [input.name]), "path": ["point_in_time_recovery", "enabled"], "fix": {"set": {"point_in_time_recovery": {"enabled": true}}}} if {
	input.resource_type == "aws_dynamodb_table"
	not lib.is_true(lib.block(p.point_in_time_recovery).enabled)
}
