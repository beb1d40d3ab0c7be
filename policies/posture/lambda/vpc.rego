# Lambda functions outside a VPC reach the internet directly and cannot be
# confined by security groups or VPC endpoints.
package custody.posture.lambda_vpc

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_LAMBDA_VPC",
	"title": "Lambda functions should run inside a VPC",
	"severity": "LOW",
	"resource_types": ["AWS::Lambda::Function", "AWS::Serverless::Function", "aws_lambda_function", "serverless:function"],
	"scope": "resource",
	"checkov": ["CKV_AWS_117"],
	"kics": [],
	"trivy": [],
	"cfn_guard": ["LAMBDA_INSIDE_VPC"],
	"cfn_nag": ["W89"],
	"follows": "cfn-guard and Checkov: a VpcConfig with subnets is required; an empty VpcConfig (which detaches the function from any VPC) is reported too",
	"exposure": 2, "data_sensitivity": 1, "blast_radius": 1,
	"remediation": "Set VpcConfig with SubnetIds and SecurityGroupIds (Terraform: vpc_config { subnet_ids, security_group_ids }; Serverless Framework: vpc: {subnetIds, securityGroupIds}).",
}

p := input.properties

deny contains {"msg": sprintf("Lambda function %s is not attached to a VPC (VpcConfig.SubnetIds is not set)", [input.name]), "path": ["VpcConfig", "SubnetIds"]} if {
	input.resource_type in {"AWS::Lambda::Function", "AWS::Serverless::Function"}
	not lib.intrinsic(p.VpcConfig)
	not lib.present(p.VpcConfig.SubnetIds)
}

deny contains {"msg": sprintf("Lambda function %s is not attached to a VPC (vpc_config.subnet_ids is not set)", [input.name]), "path": ["vpc_config", "subnet_ids"]} if {
	input.resource_type == "aws_lambda_function"
	not lib.present(lib.block(p.vpc_config).subnet_ids)
}

deny contains {"msg": sprintf("Serverless Framework function %s is not attached to a VPC (vpc.subnetIds is not set)", [input.name]), "path": ["vpc", "subnetIds"]} if {
	input.resource_type == "serverless:function"
	not lib.present(p.vpc.subnetIds)
}
