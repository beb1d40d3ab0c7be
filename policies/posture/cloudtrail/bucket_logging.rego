# Access logging on the CloudTrail bucket shows who read or deleted the
# audit logs themselves.
package custody.posture.cloudtrail_bucket_logging

import data.custody.posture.lib.cloudtrail
import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_CLOUDTRAIL_BUCKET_LOGGING",
	"title": "The S3 bucket that stores CloudTrail logs should have access logging enabled",
	"severity": "LOW",
	"resource_types": ["AWS::CloudTrail::Trail", "aws_cloudtrail"],
	"scope": "template",
	"checkov": [],
	"kics": [],
	"trivy": ["AVD-AWS-0163"],
	"cfn_guard": [],
	"cfn_nag": [],
	"follows": "trivy: judged only when the trail's bucket is in the same template (LoggingConfiguration, a logging block or an aws_s3_bucket_logging resource)",
	"exposure": 1, "data_sensitivity": 2, "blast_radius": 2,
	"remediation": "Enable server access logging on the log bucket: LoggingConfiguration.DestinationBucketName (Terraform: aws_s3_bucket_logging).",
}

logged(b, _) if lib.present(b.properties.LoggingConfiguration)

logged(b, _) if lib.present(b.properties.logging)

logged(b, resources) if {
	some r in resources
	r.resource_type == "aws_s3_bucket_logging"
	cloudtrail.configures(r, b)
}

deny contains {"msg": sprintf("CloudTrail trail %s writes its logs to bucket %s, which has no access logging", [j.trail.name, j.bucket.name]), "path": [key], "resource": j.trail.address} if {
	some j in cloudtrail.trail_buckets(input.resources)
	not logged(j.bucket, input.resources)
	key := {"AWS::CloudTrail::Trail": "S3BucketName", "aws_cloudtrail": "s3_bucket_name"}[j.trail.resource_type]
}
