# Lambda encrypts environment variables with an AWS-managed key by default;
# a customer managed key lets access to the values be audited and revoked.
package custody.posture.lambda_env_kms

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_LAMBDA_ENV_KMS",
	"title": "Lambda environment variables should be encrypted with a customer managed KMS key",
	"severity": "LOW",
	"resource_types": ["AWS::Lambda::Function", "AWS::Serverless::Function", "aws_lambda_function", "serverless:function"],
	"scope": "resource",
	"checkov": ["CKV_AWS_173"],
	"kics": [],
	"trivy": [],
	"cfn_guard": [],
	"cfn_nag": [],
	"follows": "checkov: only functions that define environment variables are reported",
	"exposure": 1, "data_sensitivity": 2, "blast_radius": 1,
	"remediation": "Set KmsKeyArn to a customer managed KMS key (Terraform: kms_key_arn; Serverless Framework: kmsKeyArn).",
}

p := input.properties

deny contains {"msg": sprintf("Lambda function %s has environment variables but no KmsKeyArn", [input.name]), "path": ["KmsKeyArn"]} if {
	input.resource_type in {"AWS::Lambda::Function", "AWS::Serverless::Function"}
	lib.present(p.Environment.Variables)
	not lib.present(p.KmsKeyArn)
}

deny contains {"msg": sprintf("Lambda function %s has environment variables but no kms_key_arn", [input.name]), "path": ["kms_key_arn"]} if {
	input.resource_type == "aws_lambda_function"
	lib.present(lib.block(p.environment).variables)
	not lib.present(p.kms_key_arn)
}

deny contains {"msg": sprintf("Serverless Framework function %s has environment variables but no kmsKeyArn", [input.name]), "path": ["kmsKeyArn"]} if {
	input.resource_type == "serverless:function"
	lib.present(p.environment)
	not lib.present(p.kmsKeyArn)
}
