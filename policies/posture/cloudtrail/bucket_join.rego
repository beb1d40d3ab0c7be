# Joins a CloudTrail trail with the S3 bucket in the same template that
# receives its logs. Not a check.
package custody.posture.lib.cloudtrail

import data.custody.posture.lib.serverless as lib
import rego.v1

trails(resources) := [r | some r in resources; r.resource_type in {"AWS::CloudTrail::Trail", "aws_cloudtrail"}]

bucket_ref(t) := t.properties.S3BucketName if t.resource_type == "AWS::CloudTrail::Trail"

bucket_ref(t) := t.properties.s3_bucket_name if t.resource_type == "aws_cloudtrail"

# CloudFormation: !Ref Bucket, or the bucket's literal BucketName.
names_bucket(ref, b) if {
	b.resource_type == "AWS::S3::Bucket"
	ref == {"Ref": b.name}
}

names_bucket(ref, b) if {
	b.resource_type == "AWS::S3::Bucket"
	is_string(ref)
	ref == b.properties.BucketName
}

# Terraform: aws_s3_bucket.NAME.id / .bucket, or the literal bucket name.
names_bucket(ref, b) if {
	b.resource_type == "aws_s3_bucket"
	is_string(ref)
	startswith(ref, sprintf("aws_s3_bucket.%s.", [b.name]))
}

names_bucket(ref, b) if {
	b.resource_type == "aws_s3_bucket"
	is_string(ref)
	ref == b.properties.bucket
}

# Each trail with its bucket, when the bucket is in the template.
trail_buckets(resources) := [{"trail": t, "bucket": b} |
	some t in trails(resources)
	ref := bucket_ref(t)
	some b in resources
	names_bucket(ref, b)
]

# A Terraform resource that configures bucket `b` (aws_s3_bucket_acl,
# aws_s3_bucket_logging, ...) through its `bucket` attribute.
configures(r, b) if names_bucket(r.properties.bucket, b)
