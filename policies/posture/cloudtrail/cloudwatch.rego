# Sending trail events to CloudWatch Logs makes metric filters and alarms on
# them possible (root logins, policy changes) within minutes.
package custody.posture.cloudtrail_cloudwatch

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_CLOUDTRAIL_CLOUDWATCH",
	"title": "CloudTrail trails should send events to CloudWatch Logs",
	"severity": "LOW",
	"resource_types": ["AWS::CloudTrail::Trail", "aws_cloudtrail"],
	"scope": "resource",
	"checkov": ["CKV2_AWS_10"],
	"kics": [],
	"trivy": ["AVD-AWS-0162"],
	"cfn_guard": ["CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED"],
	"cfn_nag": [],
	"follows": "all agree: CloudWatchLogsLogGroupArn must be set",
	"exposure": 1, "data_sensitivity": 2, "blast_radius": 3,
	"remediation": "Set CloudWatchLogsLogGroupArn and CloudWatchLogsRoleArn (Terraform: cloud_watch_logs_group_arn and cloud_watch_logs_role_arn).",
}

p := input.properties

deny contains {"msg": sprintf("CloudTrail trail %s does not send events to CloudWatch Logs (CloudWatchLogsLogGroupArn)", [input.name]), "path": ["CloudWatchLogsLogGroupArn"]} if {
	input.resource_type == "AWS::CloudTrail::Trail"
	not lib.present(p.CloudWatchLogsLogGroupArn)
}

deny contains {"msg": sprintf("CloudTrail trail %s does not send events to CloudWatch Logs (cloud_watch_logs_group_arn)", [input.name]), "path": ["cloud_watch_logs_group_arn"]} if {
	input.resource_type == "aws_cloudtrail"
	not lib.present(p.cloud_watch_logs_group_arn)
}
