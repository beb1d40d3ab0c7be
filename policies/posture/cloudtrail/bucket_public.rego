# The bucket that receives CloudTrail logs must not be readable by anyone:
# the logs map the account's resources, users and activity.
package custody.posture.cloudtrail_bucket_public

import data.custody.posture.lib.cloudtrail
import rego.v1

metadata := {
	"id": "CUSTODY_CLOUDTRAIL_BUCKET_PUBLIC",
	"title": "The S3 bucket that stores CloudTrail logs should not be public",
	"severity": "CRITICAL",
	"resource_types": ["AWS::CloudTrail::Trail", "aws_cloudtrail"],
	"scope": "template",
	"checkov": [],
	"kics": [],
	"trivy": ["AVD-AWS-0161"],
	"cfn_guard": [],
	"cfn_nag": [],
	"follows": "trivy: a trail whose bucket (in the same template) has a public canned ACL (PublicRead, PublicReadWrite, AuthenticatedRead) is reported at the trail's bucket name",
	"exposure": 3, "data_sensitivity": 3, "blast_radius": 3,
	"remediation": "Make the log bucket private: AccessControl Private (or no ACL) and a public access block on the bucket.",
}

public_cfn := {"PublicRead", "PublicReadWrite", "AuthenticatedRead"}

public_tf := {"public-read", "public-read-write", "authenticated-read"}

public(b, _) if b.properties.AccessControl in public_cfn

public(b, _) if b.properties.acl in public_tf

public(b, resources) if {
	some r in resources
	r.resource_type == "aws_s3_bucket_acl"
	cloudtrail.configures(r, b)
	r.properties.acl in public_tf
}

deny contains {"msg": sprintf("CloudTrail trail %s writes its logs to the public bucket %s", [j.trail.name, j.bucket.name]), "path": [key], "resource": j.trail.address} if {
	some j in cloudtrail.trail_buckets(input.resources)
	public(j.bucket, input.resources)
	key := {"AWS::CloudTrail::Trail": "S3BucketName", "aws_cloudtrail": "s3_bucket_name"}[j.trail.resource_type]
}
