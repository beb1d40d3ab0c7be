# A function URL with auth type NONE is a public HTTPS endpoint: anyone on
# the internet can invoke the function (and run up its bill).
package custody.posture.lambda_url_auth

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_LAMBDA_URL_AUTH_NONE",
	"title": "Lambda function URLs should require IAM authentication",
	"severity": "HIGH",
	"resource_types": ["AWS::Lambda::Url", "AWS::Serverless::Function", "aws_lambda_function_url", "serverless:function"],
	"scope": "resource",
	"checkov": ["CKV_AWS_258"],
	"kics": [],
	"trivy": [],
	"cfn_guard": [],
	"cfn_nag": [],
	"follows": "checkov: AuthType NONE is reported; a public URL that is meant to be public should be suppressed with a reason",
	"exposure": 3, "data_sensitivity": 1, "blast_radius": 2,
	"remediation": "Set AuthType to AWS_IAM (Terraform: authorization_type = \"AWS_IAM\"; Serverless Framework: url: {authorizer: aws_iam}), or put the function behind API Gateway with an authorizer.",
}

p := input.properties

deny contains {"msg": sprintf("Lambda function URL %s has AuthType NONE: anyone can invoke the function", [input.name]), "path": ["AuthType"], "fix": {"set": {"AuthType": "AWS_IAM"}}} if {
	input.resource_type == "AWS::Lambda::Url"
	p.AuthType == "NONE"
}

deny contains {"msg": sprintf("Serverless function %s has a function URL with AuthType NONE: anyone can invoke it", [input.name]), "path": ["FunctionUrlConfig", "AuthType"]} if {
	input.resource_type == "AWS::Serverless::Function"
	p.FunctionUrlConfig.AuthType == "NONE"
}

deny contains {"msg": sprintf("Lambda function URL %s has authorization_type NONE: anyone can invoke the function", [input.name]), "path": ["authorization_type"], "fix": {"set": {"authorization_type": "AWS_IAM"}}} if {
	input.resource_type == "aws_lambda_function_url"
	p.authorization_type == "NONE"
}

deny contains {"msg": sprintf("Serverless Framework function %s has a public function URL (no aws_iam authorizer)", [input.name]), "path": ["url"]} if {
	input.resource_type == "serverless:function"
	lib.is_true(p.url)
}

deny contains {"msg": sprintf("Serverless Framework function %s has a public function URL (no aws_iam authorizer)", [input.name]), "path": ["url", "authorizer"]} if {
	input.resource_type == "serverless:function"
	is_object(p.url)
	p.url.authorizer != "aws_iam"
}

deny contains {"msg": sprintf("Serverless Framework function %s has a public function URL (no aws_iam authorizer)", [input.name]), "path": ["url", "authorizer"]} if {
	input.resource_type == "serverless:function"
	is_object(p.url)
	not p.url.authorizer
}
