# Lambda functions invoked asynchronously drop events that fail every retry
# unless a dead-letter queue (or an on-failure destination) keeps them.
package custody.posture.lambda_dlq

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_LAMBDA_DLQ",
	"title": "Lambda functions should have a dead-letter queue",
	"severity": "LOW",
	"resource_types": ["AWS::Lambda::Function", "AWS::Serverless::Function", "aws_lambda_function", "serverless:function"],
	"scope": "resource",
	"checkov": ["CKV_AWS_116"],
	"kics": ["c2eae442-d3ba-4cb1-84ca-1db4f80eae3d", "cb2f612b-ed42-4ff5-9fb9-255c73d39a18"],
	"trivy": [],
	"cfn_guard": ["LAMBDA_DLQ_CHECK"],
	"cfn_nag": [],
	"follows": "kics and cfn-guard: a missing DeadLetterConfig is reported at Properties, one without TargetArn at that key; KICS reports an empty (null) DeadLetterConfig twice, at Properties and at the key, custody once at the key. SAM functions may use DeadLetterQueue or DeadLetterConfig",
	"exposure": 1, "data_sensitivity": 1, "blast_radius": 1,
	"remediation": "Set DeadLetterConfig.TargetArn to an SQS queue or SNS topic (SAM: DeadLetterQueue: {Type: SQS, TargetArn: ...}; Terraform: dead_letter_config { target_arn = ... }), or configure an on-failure destination.",
}

p := input.properties

cfn_types := {"AWS::Lambda::Function", "AWS::Serverless::Function"}

# SAM's own property is DeadLetterQueue; a DeadLetterConfig passes through.
dlq_key := "DeadLetterQueue" if {
	input.resource_type == "AWS::Serverless::Function"
	"DeadLetterQueue" in object.keys(p)
} else := "DeadLetterConfig"

# A missing key is reported where it belongs (Properties' line); one that is
# present but empty or without a target, at the key.
deny contains {"msg": sprintf("Lambda function %s has no dead-letter queue (%s is not set)", [input.name, dlq_key]), "path": [dlq_key]} if {
	input.resource_type in metadata.resource_types
	input.resource_type in cfn_types
	not dlq_key in object.keys(p)
	not sam_destination
}

deny contains {"msg": sprintf("Lambda function %s has a %s without TargetArn", [input.name, dlq_key]), "path": [dlq_key, "TargetArn"]} if {
	input.resource_type in metadata.resource_types
	input.resource_type in cfn_types
	dlq_key in object.keys(p)
	not lib.intrinsic(p[dlq_key])
	not has_target
}

has_target if lib.present(p[dlq_key].TargetArn)

has_target if lib.intrinsic(p[dlq_key].TargetArn)

# SAM EventInvokeConfig.DestinationConfig.OnFailure keeps failed events too.
sam_destination if lib.present(p.EventInvokeConfig.DestinationConfig.OnFailure)

deny contains {"msg": sprintf("Lambda function %s has no dead-letter queue (dead_letter_config.target_arn is not set)", [input.name]), "path": ["dead_letter_config", "target_arn"]} if {
	input.resource_type == "aws_lambda_function"
	not lib.present(lib.block(p.dead_letter_config).target_arn)
}

deny contains {"msg": sprintf("Serverless Framework function %s has no dead-letter queue (onError or destinations.onFailure)", [input.name]), "path": ["onError"]} if {
	input.resource_type == "serverless:function"
	not lib.present(p.onError)
	not lib.present(p.destinations.onFailure)
}
