# Ownership and cost-allocation tags (`custody scan --required-tags K,...`,
# given to checks as data.custody.scan.required_tags): without them nobody
# knows whom to page about a resource or which budget pays for it.
package custody.posture.tags_required

import rego.v1

metadata := {
	"id": "CUSTODY_REQUIRED_TAGS",
	"title": "Resources should carry the required ownership and cost tags",
	"severity": "LOW",
	"resource_types": taggable,
	"scope": "resource",
	"checkov": [],
	"kics": [],
	"trivy": [],
	"cfn_guard": [],
	"cfn_nag": [],
	"follows": "custody: every key given with --required-tags must be present (with any value) in the resource's Tags, Terraform tags or Kubernetes labels; without --required-tags the check reports nothing",
	"exposure": 1, "data_sensitivity": 1, "blast_radius": 1,
	"remediation": "Add the missing tags (e.g. owner, cost-center) to the resource, or set them once for a stack (CloudFormation stack tags, SAM Globals Tags, Terraform provider default_tags) and tag the resource explicitly where the scanner cannot see them.",
}

taggable := [
	"AWS::Lambda::Function", "AWS::Serverless::Function", "AWS::Serverless::Api", "AWS::Serverless::HttpApi",
	"AWS::Serverless::StateMachine", "AWS::Serverless::SimpleTable", "AWS::StepFunctions::StateMachine",
	"AWS::ApiGateway::RestApi", "AWS::ApiGateway::Stage", "AWS::ApiGatewayV2::Api", "AWS::ApiGatewayV2::Stage",
	"AWS::S3::Bucket", "AWS::DynamoDB::Table", "AWS::SQS::Queue", "AWS::SNS::Topic", "AWS::KMS::Key",
	"AWS::SecretsManager::Secret", "AWS::Logs::LogGroup", "AWS::CloudTrail::Trail", "AWS::IAM::Role",
	"AWS::Events::Rule", "AWS::Kinesis::Stream", "AWS::ECR::Repository", "AWS::RDS::DBInstance", "AWS::RDS::DBCluster",
	"AWS::EC2::Instance", "AWS::EC2::VPC", "AWS::ECS::Cluster", "AWS::ECS::Service", "AWS::ECS::TaskDefinition",
	"AWS::EKS::Cluster", "AWS::SageMaker::Model", "AWS::SageMaker::Endpoint", "AWS::SageMaker::NotebookInstance",
	"AWS::ElastiCache::ReplicationGroup", "AWS::CloudFront::Distribution", "AWS::AppSync::GraphQLApi",
	"aws_lambda_function", "aws_api_gateway_rest_api", "aws_api_gateway_stage", "aws_apigatewayv2_api",
	"aws_apigatewayv2_stage", "aws_sfn_state_machine", "aws_s3_bucket", "aws_dynamodb_table", "aws_sqs_queue",
	"aws_sns_topic", "aws_kms_key", "aws_secretsmanager_secret", "aws_cloudwatch_log_group", "aws_cloudtrail",
	"aws_iam_role", "aws_cloudwatch_event_rule", "aws_kinesis_stream", "aws_ecr_repository", "aws_db_instance",
	"aws_rds_cluster", "aws_instance", "aws_vpc", "aws_ecs_cluster", "aws_ecs_service", "aws_ecs_task_definition",
	"aws_eks_cluster", "aws_sagemaker_model", "aws_sagemaker_endpoint", "aws_sagemaker_notebook_instance",
	"aws_elasticache_replication_group", "aws_cloudfront_distribution", "aws_appsync_graphql_api",
	"serverless:function",
	"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod", "serving.knative.dev/Service",
]

required := {k | some k in data.custody.scan.required_tags; is_string(k); k != ""}

default required := set()

present := {k | some k, _ in object.get(input, "tags", {})}

missing := required - present

tags_path := ["metadata", "labels"] if input.format == "kubernetes"

tags_path := ["tags"] if input.format in {"terraform", "terraform-plan", "serverless"}

tags_path := ["Tags"] if not input.format in {"kubernetes", "terraform", "terraform-plan", "serverless"}

# The whole tag value after the fix: CloudFormation's [{Key, Value}] list
# keeps its entries and gains the missing keys; maps gain keys. The values
# are left empty for the owner to fill in.
added_map := {k: "" | some k in missing}

fixed_tags := array.concat(input.properties.Tags, [{"Key": k, "Value": ""} | some k in sort(missing)]) if is_array(input.properties.Tags)

fixed_tags := object.union(added_map, input.properties.Tags) if is_object(input.properties.Tags)

fixed_tags := added_map if {
	input.format == "cloudformation"
	not input.properties.Tags
	startswith(input.resource_type, "AWS::Serverless::")
}

fixed_tags := [{"Key": k, "Value": ""} | some k in sort(missing)] if {
	input.format == "cloudformation"
	not input.properties.Tags
	not startswith(input.resource_type, "AWS::Serverless::")
}

fixed_tags := object.union(added_map, object.get(input.properties, "tags", {})) if input.format == "terraform"

fix := {"set": {tags_path[0]: fixed_tags}} if {
	count(tags_path) == 1
	fixed_tags
}

finding := {"msg": sprintf("%s %s is missing the required tag(s) %s", [input.resource_type, input.name, concat(", ", sort(missing))]), "path": tags_path}

deny contains object.union(finding, {"fix": fix}) if {
	input.resource_type in metadata.resource_types
	count(missing) > 0
	fix
}

deny contains finding if {
	input.resource_type in metadata.resource_types
	count(missing) > 0
	not fix
}
