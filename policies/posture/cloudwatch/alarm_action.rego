# An alarm with no action changes state on a dashboard nobody watches.
package custody.posture.cloudwatch_alarm_action

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_CLOUDWATCH_ALARM_ACTION",
	"title": "CloudWatch alarms should have an action",
	"severity": "LOW",
	"resource_types": ["AWS::CloudWatch::Alarm", "aws_cloudwatch_metric_alarm"],
	"scope": "resource",
	"checkov": [],
	"kics": [],
	"trivy": [],
	"cfn_guard": ["CLOUDWATCH_ALARM_ACTION_CHECK"],
	"cfn_nag": [],
	"follows": "cfn-guard (AWS Config cloudwatch-alarm-action-check): at least one of AlarmActions, OKActions, InsufficientDataActions must be set, and ActionsEnabled must not be false",
	"exposure": 1, "data_sensitivity": 1, "blast_radius": 1,
	"remediation": "Add AlarmActions (an SNS topic, an Auto Scaling or Systems Manager action) to the alarm (Terraform: alarm_actions).",
}

p := input.properties

cfn := input.resource_type == "AWS::CloudWatch::Alarm"

has_action if {
	cfn
	some k in ["AlarmActions", "OKActions", "InsufficientDataActions"]
	lib.present(p[k])
}

has_action if {
	not cfn
	some k in ["alarm_actions", "ok_actions", "insufficient_data_actions"]
	lib.present(p[k])
}

deny contains {"msg": sprintf("CloudWatch alarm %s has no alarm, OK or insufficient-data action", [input.name]), "path": [{true: "AlarmActions", false: "alarm_actions"}[cfn]]} if {
	input.resource_type in metadata.resource_types
	not has_action
}

deny contains {"msg": sprintf("CloudWatch alarm %s has its actions disabled", [input.name]), "path": [key]} if {
	input.resource_type in metadata.resource_types
	key := {true: "ActionsEnabled", false: "actions_enabled"}[cfn]
	lib.is_false(p[key])
}
