# Logs kept forever cost money and keep personal data longer than any policy
# allows; logs kept too briefly are gone before an incident is noticed.
package custody.posture.cloudwatch_log_group_retention

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_LOG_GROUP_RETENTION",
	"title": "CloudWatch log groups should set a retention period",
	"severity": "LOW",
	"resource_types": ["AWS::Logs::LogGroup", "aws_cloudwatch_log_group"],
	"scope": "resource",
	"checkov": ["CKV_AWS_66"],
	"kics": [],
	"trivy": [],
	"cfn_guard": ["CW_LOGGROUP_RETENTION_PERIOD_CHECK"],
	"cfn_nag": ["W86"],
	"follows": "cfn-guard and Checkov: RetentionInDays must be set to one of the values CloudWatch Logs accepts; Terraform's 0 (never expire) counts as not set",
	"exposure": 1, "data_sensitivity": 1, "blast_radius": 1,
	"remediation": "Set RetentionInDays (e.g. 365) to what the data's retention policy requires (Terraform: retention_in_days).",
	"fix": {"set": {"RetentionInDays": 365}},
}

valid_days := {1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

p := input.properties

days := p.RetentionInDays if input.resource_type == "AWS::Logs::LogGroup"

days := p.retention_in_days if input.resource_type == "aws_cloudwatch_log_group"

key := {"AWS::Logs::LogGroup": "RetentionInDays", "aws_cloudwatch_log_group": "retention_in_days"}[input.resource_type]

ok(d) if d in valid_days

ok(d) if to_number(d) in valid_days

ok(d) if lib.intrinsic(d)

# Terraform variables and references are judged where they are resolved.
ok(d) if {
	input.format != "cloudformation"
	is_string(d)
	not regex.match(`^[0-9]+$`, d)
}

deny contains {"msg": sprintf("Log group %s has no retention period (%s)", [input.name, key]), "path": [key], "fix": {"set": {key: 365}}} if {
	input.resource_type in metadata.resource_types
	not lib.present(days)
}

deny contains {"msg": sprintf("Log group %s has no valid retention period (%s %v)", [input.name, key, days]), "path": [key]} if {
	input.resource_type in metadata.resource_types
	lib.present(days)
	not ok(days)
}
