# Lambda functions without active X-Ray tracing: a failed request cannot be
# followed across the services it touched.
package custody.posture.lambda_tracing

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_LAMBDA_TRACING",
	"title": "Lambda functions should have X-Ray tracing enabled",
	"severity": "LOW",
	"resource_types": ["AWS::Lambda::Function", "AWS::Serverless::Function", "aws_lambda_function", "serverless:function"],
	"scope": "resource",
	"checkov": ["CKV_AWS_50"],
	"kics": ["8152e0cf-d2f0-47ad-96d5-d003a76eabd1", "dc1ab429-1481-4540-9b1d-280e3f15f1f8"],
	"trivy": ["AVD-AWS-0066", "AVD-AWS-0125"],
	"cfn_guard": [],
	"cfn_nag": [],
	"follows": "all: tracing must be Active; PassThrough only forwards an upstream decision and is reported too (KICS, Trivy, Checkov agree)",
	"exposure": 1, "data_sensitivity": 1, "blast_radius": 1,
	"remediation": "Set TracingConfig.Mode to Active (SAM: Tracing: Active; Terraform: tracing_config { mode = \"Active\" }; Serverless Framework: provider.tracing.lambda: true).",
	"fix": {"set": {"TracingConfig": {"Mode": "Active"}}},
}

p := input.properties

deny contains {"msg": sprintf("Lambda function %s does not have active X-Ray tracing (TracingConfig.Mode is not Active)", [input.name]), "path": ["TracingConfig", "Mode"], "fix": {"set": {"TracingConfig": {"Mode": "Active"}}}} if {
	input.resource_type == "AWS::Lambda::Function"
	not lib.intrinsic(p.TracingConfig)
	not lib.intrinsic(p.TracingConfig.Mode)
	p.TracingConfig.Mode != "Active"
}

deny contains {"msg": sprintf("Lambda function %s does not have active X-Ray tracing (no TracingConfig)", [input.name]), "path": ["TracingConfig", "Mode"], "fix": {"set": {"TracingConfig": {"Mode": "Active"}}}} if {
	input.resource_type == "AWS::Lambda::Function"
	not p.TracingConfig.Mode
	not lib.intrinsic(p.TracingConfig)
}

deny contains {"msg": sprintf("Serverless function %s does not have active X-Ray tracing (Tracing is not Active)", [input.name]), "path": ["Tracing"], "fix": {"set": {"Tracing": "Active"}}} if {
	input.resource_type == "AWS::Serverless::Function"
	not sam_active
}

sam_active if p.Tracing == "Active"

sam_active if lib.intrinsic(p.Tracing)

deny contains {"msg": sprintf("Lambda function %s does not have active X-Ray tracing", [input.name]), "path": ["tracing_config", "mode"], "fix": {"set": {"tracing_config": {"mode": "Active"}}}} if {
	input.resource_type == "aws_lambda_function"
	lib.block(p.tracing_config).mode != "Active"
}

deny contains {"msg": sprintf("Lambda function %s does not have active X-Ray tracing (no tracing_config)", [input.name]), "path": ["tracing_config", "mode"], "fix": {"set": {"tracing_config": {"mode": "Active"}}}} if {
	input.resource_type == "aws_lambda_function"
	not lib.block(p.tracing_config).mode
}

deny contains {"msg": sprintf("Serverless Framework function %s does not have active X-Ray tracing", [input.name]), "path": ["tracing"]} if {
	input.resource_type == "serverless:function"
	not sls_active
}

sls_active if p.tracing == "Active"

sls_active if lib.is_true(p.tracing)

sls_active if lib.is_true(p.tracing.lambda)

sls_active if p.tracing.lambda == "Active"
