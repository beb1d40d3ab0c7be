# Environment variables are visible to anyone who can read the function's
# configuration (lambda:GetFunctionConfiguration) and end up in templates,
# state files and CI logs: secrets belong in Secrets Manager or SSM
# SecureString parameters, resolved at run time.
package custody.posture.lambda_env_secrets

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_LAMBDA_ENV_SECRETS",
	"title": "Lambda functions should not hold secrets in environment variables",
	"severity": "HIGH",
	"resource_types": ["AWS::Lambda::Function", "AWS::Serverless::Function", "aws_lambda_function", "serverless:function"],
	"scope": "resource",
	"checkov": ["CKV_AWS_45"],
	"kics": [],
	"trivy": [],
	"cfn_guard": [],
	"cfn_nag": [],
	"follows": "checkov: a literal value under a secret-like name (password, secret, token, api key, private key, credentials) or a value shaped like an AWS access key is reported; values from intrinsics, Terraform references and {{resolve:...}} dynamic references are not",
	"exposure": 2, "data_sensitivity": 3, "blast_radius": 2,
	"remediation": "Store the secret in Secrets Manager (or an SSM SecureString) and read it at run time, or pass a {{resolve:secretsmanager:...}} reference; rotate any secret that was committed.",
}

p := input.properties

variables := {"path": ["Environment", "Variables"], "vars": p.Environment.Variables} if {
	input.resource_type in {"AWS::Lambda::Function", "AWS::Serverless::Function"}
	is_object(p.Environment.Variables)
}

variables := {"path": ["environment", "variables"], "vars": env.variables} if {
	input.resource_type == "aws_lambda_function"
	env := lib.block(p.environment)
	is_object(env.variables)
}

variables := {"path": ["environment"], "vars": p.environment} if {
	input.resource_type == "serverless:function"
	is_object(p.environment)
}

secret_name(k) if regex.match(`(?i)(passw(or)?d|passwd|secret|token|api[_-]?key|apikey|private[_-]?key|access[_-]?key|credential|auth[_-]?key|client[_-]?secret|conn(ection)?[_-]?str)`, k)

# Names that only point at a secret stored elsewhere.
reference_name(k) if regex.match(`(?i)(_arn|_name|_id|_path|_param(eter)?|_ref|_key_id|_url|_uri|_ttl|_expiry|_length)$`, k)

literal_secret(v) if {
	is_string(v)
	count(v) >= 4
	not startswith(v, "{{resolve:")
	not startswith(v, "arn:")
	not startswith(v, "${")
	not regex.match(`^(var|local|data|module|aws_[a-z0-9_]+)\.`, v)
}

literal_secret(v) if is_number(v)

access_key(v) if {
	is_string(v)
	regex.match(`^(AKIA|ASIA)[0-9A-Z]{16}$`, v)
}

deny contains {"msg": sprintf("Lambda function %s holds a secret in environment variable %s", [input.name, k]), "path": array.concat(variables.path, [k])} if {
	some k, v in variables.vars
	secret_name(k)
	not reference_name(k)
	literal_secret(v)
}

deny contains {"msg": sprintf("Lambda function %s holds an AWS access key in environment variable %s", [input.name, k]), "path": array.concat(variables.path, [k])} if {
	some k, v in variables.vars
	access_key(v)
	not secret_name(k)
}
