# X-Ray tracing of a state machine shows each execution's path through its
# states and the services they call.
package custody.posture.stepfunctions_tracing

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_STATE_MACHINE_TRACING",
	"title": "Step Functions state machines should have X-Ray tracing enabled",
	"severity": "LOW",
	"resource_types": ["AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine", "aws_sfn_state_machine"],
	"scope": "resource",
	"checkov": [],
	"kics": [],
	"trivy": ["AVD-AWS-0117"],
	"cfn_guard": [],
	"cfn_nag": [],
	"follows": "trivy: Tracing.Enabled (StepFunctions: TracingConfiguration.Enabled) must be true",
	"exposure": 1, "data_sensitivity": 1, "blast_radius": 1,
	"remediation": "Set Tracing: {Enabled: true} (StepFunctions: TracingConfiguration; Terraform: tracing_configuration { enabled = true }).",
}

p := input.properties

deny contains {"msg": sprintf("State machine %s does not have X-Ray tracing enabled", [input.name]), "path": ["Tracing", "Enabled"], "fix": {"set": {"Tracing": {"Enabled": true}}}} if {
	input.resource_type == "AWS::Serverless::StateMachine"
	not lib.is_true(p.Tracing.Enabled)
	not lib.intrinsic(p.Tracing)
}

deny contains {"msg": sprintf("State machine %s does not have X-Ray tracing enabled", [input.name]), "path": ["TracingConfiguration", "Enabled"], "fix": {"set": {"TracingConfiguration": {"Enabled": true}}}} if {
	input.resource_type == "AWS::StepFunctions::StateMachine"
	not lib.is_true(p.TracingConfiguration.Enabled)
	not lib.intrinsic(p.TracingConfiguration)
}

deny contains {"msg": sprintf("State machine %s does not have X-Ray tracing enabled", [input.name]), "path": ["tracing_configuration", "enabled"], "fix": {"set": {"tracing_configuration": {"enabled": true}}}} if {
	input.resource_type == "aws_sfn_state_machine"
	not lib.is_true(lib.block(p.tracing_configuration).enabled)
}
