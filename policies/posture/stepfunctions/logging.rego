# Execution history expires after 90 days and is not searchable; logging to
# CloudWatch Logs keeps a record of every execution's inputs and failures.
package custody.posture.stepfunctions_logging

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_STATE_MACHINE_LOGGING",
	"title": "Step Functions state machines should have logging enabled",
	"severity": "LOW",
	"resource_types": ["AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine", "aws_sfn_state_machine"],
	"scope": "resource",
	"checkov": [],
	"kics": [],
	"trivy": ["AVD-AWS-0119"],
	"cfn_guard": [],
	"cfn_nag": [],
	"follows": "trivy: a logging configuration with a level other than OFF and a CloudWatch Logs destination is required",
	"exposure": 1, "data_sensitivity": 1, "blast_radius": 1,
	"remediation": "Set Logging (StepFunctions: LoggingConfiguration) with Level ERROR or ALL and a CloudWatchLogsLogGroup destination (Terraform: logging_configuration { level, log_destination }).",
}

p := input.properties

cfn_logged(l) if {
	l.Level != "OFF"
	lib.present(l.Level)
	lib.present(l.Destinations)
}

cfn_logged(l) if lib.intrinsic(l)

deny contains {"msg": sprintf("State machine %s does not log its executions", [input.name]), "path": [key]} if {
	input.resource_type in {"AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine"}
	key := {"AWS::Serverless::StateMachine": "Logging", "AWS::StepFunctions::StateMachine": "LoggingConfiguration"}[input.resource_type]
	not cfn_logged(object.get(p, key, {}))
}

deny contains {"msg": sprintf("State machine %s does not log its executions", [input.name]), "path": ["logging_configuration", "level"]} if {
	input.resource_type == "aws_sfn_state_machine"
	l := object.get(p, "logging_configuration", {})
	not tf_logged(lib.block(l))
}

tf_logged(l) if {
	lib.present(l.level)
	l.level != "OFF"
	lib.present(l.log_destination)
}
