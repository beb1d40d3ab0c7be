# Runtimes past their Lambda deprecation date get no security patches, and
# functions on them can no longer be created or updated.
package custody.posture.lambda_runtime

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_LAMBDA_DEPRECATED_RUNTIME",
	"title": "Lambda functions should not use a deprecated runtime",
	"severity": "MEDIUM",
	"resource_types": ["AWS::Lambda::Function", "AWS::Serverless::Function", "aws_lambda_function", "serverless:function"],
	"scope": "resource",
	"checkov": ["CKV_AWS_363"],
	"kics": [],
	"trivy": [],
	"cfn_guard": [],
	"cfn_nag": [],
	"follows": "AWS Lambda's runtime deprecation schedule (docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html): runtimes whose deprecation date has passed",
	"exposure": 2, "data_sensitivity": 1, "blast_radius": 1,
	"remediation": "Move the function to a supported runtime (e.g. python3.12+, nodejs22.x, java21, dotnet8, ruby3.3+, provided.al2023).",
}

# Deprecated in Lambda (date in the comment).
deprecated := {
	"nodejs", "nodejs4.3", "nodejs4.3-edge", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x", # <= 2023-03
	"nodejs14.x", # 2023-12-04
	"nodejs16.x", # 2024-06-12
	"nodejs18.x", # 2025-09-01
	"nodejs20.x", # 2026-04-30
	"python2.7", "python3.6", "python3.7", # <= 2023-12
	"python3.8", # 2024-10-14
	"python3.9", # 2025-12-15
	"java8", # 2024-01-08 (Amazon Linux 1)
	"go1.x", "provided", # 2024-01-08 (Amazon Linux 1)
	"dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet5.0", # <= 2023-04
	"dotnet6", # 2024-12-20
	"dotnet7", # 2024-05-14
	"ruby2.5", "ruby2.7", # <= 2023-12
	"ruby3.2", # 2026-03-31
}

runtime := {"value": input.properties.Runtime, "path": ["Runtime"]} if input.resource_type in {"AWS::Lambda::Function", "AWS::Serverless::Function"}

runtime := {"value": input.properties.runtime, "path": ["runtime"]} if input.resource_type in {"aws_lambda_function", "serverless:function"}

deny contains {"msg": sprintf("Lambda function %s uses the deprecated runtime %s", [input.name, runtime.value]), "path": runtime.path} if {
	input.resource_type in metadata.resource_types
	is_string(runtime.value)
	lower(runtime.value) in deprecated
}
