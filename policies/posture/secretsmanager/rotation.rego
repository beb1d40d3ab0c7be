# A secret that never rotates stays valid for as long as anyone who ever
# saw it (a former employee, a leaked log) wants to use it.
package custody.posture.secretsmanager_rotation

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_SECRETSMANAGER_ROTATION",
	"title": "Secrets Manager secrets should have automatic rotation",
	"severity": "MEDIUM",
	"resource_types": ["AWS::SecretsManager::Secret", "aws_secretsmanager_secret"],
	"scope": "template",
	"checkov": ["CKV2_AWS_57"],
	"kics": [],
	"trivy": [],
	"cfn_guard": ["SECRETSMANAGER_ROTATION_ENABLED_CHECK"],
	"cfn_nag": [],
	"follows": "cfn-guard and Checkov: every secret needs a rotation schedule in the same template (AWS::SecretsManager::RotationSchedule whose SecretId refers to it, or aws_secretsmanager_secret_rotation)",
	"exposure": 1, "data_sensitivity": 3, "blast_radius": 2,
	"remediation": "Add an AWS::SecretsManager::RotationSchedule (SecretId: !Ref Secret, with RotationLambdaARN or HostedRotationLambda and RotationRules) or a Terraform aws_secretsmanager_secret_rotation.",
}

refers(id, s) if id == {"Ref": s.name}

refers(id, s) if id == s.properties.Name

refers(id, s) if {
	is_string(id)
	startswith(id, sprintf("aws_secretsmanager_secret.%s.", [s.name]))
}

rotated(s) if {
	some r in input.resources
	r.resource_type == "AWS::SecretsManager::RotationSchedule"
	refers(r.properties.SecretId, s)
}

rotated(s) if {
	some r in input.resources
	r.resource_type == "aws_secretsmanager_secret_rotation"
	refers(r.properties.secret_id, s)
}

deny contains {"msg": sprintf("Secret %s has no rotation schedule", [s.name]), "path": [], "resource": s.address} if {
	some s in input.resources
	s.resource_type in {"AWS::SecretsManager::Secret", "aws_secretsmanager_secret"}
	not rotated(s)
}
