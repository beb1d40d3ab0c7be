# Without reserved concurrency one function can take the account's whole
# concurrency pool (and a runaway trigger the whole bill).
package custody.posture.lambda_concurrency

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_LAMBDA_CONCURRENCY",
	"title": "Lambda functions should set a reserved concurrency limit",
	"severity": "LOW",
	"resource_types": ["AWS::Lambda::Function", "AWS::Serverless::Function", "aws_lambda_function", "serverless:function"],
	"scope": "resource",
	"checkov": ["CKV_AWS_115"],
	"kics": [],
	"trivy": [],
	"cfn_guard": ["LAMBDA_CONCURRENCY_CHECK"],
	"cfn_nag": ["W92"],
	"follows": "cfn-guard and Checkov: ReservedConcurrentExecutions must be set; Terraform's -1 (unreserved) counts as not set",
	"exposure": 1, "data_sensitivity": 1, "blast_radius": 2,
	"remediation": "Set ReservedConcurrentExecutions (Terraform: reserved_concurrent_executions; Serverless Framework: reservedConcurrency) to the most the function should ever use.",
}

p := input.properties

deny contains {"msg": sprintf("Lambda function %s has no reserved concurrency limit (ReservedConcurrentExecutions)", [input.name]), "path": ["ReservedConcurrentExecutions"]} if {
	input.resource_type in {"AWS::Lambda::Function", "AWS::Serverless::Function"}
	not lib.present(p.ReservedConcurrentExecutions)
}

deny contains {"msg": sprintf("Lambda function %s has no reserved concurrency limit (reserved_concurrent_executions)", [input.name]), "path": ["reserved_concurrent_executions"]} if {
	input.resource_type == "aws_lambda_function"
	not reserved_tf
}

reserved_tf if {
	lib.present(p.reserved_concurrent_executions)
	p.reserved_concurrent_executions != -1
}

deny contains {"msg": sprintf("Serverless Framework function %s has no reserved concurrency limit (reservedConcurrency)", [input.name]), "path": ["reservedConcurrency"]} if {
	input.resource_type == "serverless:function"
	not lib.present(p.reservedConcurrency)
}
