package custody.posture.s3_tls_only

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_S3_TLS_ONLY",
	"title": "S3 buckets should have a policy that denies requests without TLS",
	"severity": "MEDIUM",
	"resource_types": ["AWS::S3::Bucket", "AWS::S3::BucketPolicy", "aws_s3_bucket", "aws_s3_bucket_policy"],
	"scope": "template",
	"cfn_guard": ["S3_BUCKET_SSL_REQUESTS_ONLY"],
	"follows": "cfn-guard: a bucket policy passes when one of its statements denies requests whose aws:SecureTransport is false (an Allow with that condition, or a Deny on SecureTransport true, does the opposite and fails). Beyond cfn-guard, which only looks at policies that exist, a bucket with no policy at all in the template is reported too, since nothing then refuses plain HTTP.",
	"exposure": 1.5, "data_sensitivity": 1.5, "blast_radius": 1,
	"remediation": "Add a bucket policy statement: Effect Deny, Principal \"*\", Action \"s3:*\", Resource the bucket and its objects, Condition {\"Bool\": {\"aws:SecureTransport\": \"false\"}}.",
}

policy_types := {"AWS::S3::BucketPolicy", "aws_s3_bucket_policy"}

falsy(false)

falsy("false")

falsy(x) if {
	is_array(x)
	count(x) == 1
	falsy(x[0])
}

denies_plain_http(st) if {
	lib.denies(st)
	some op, conds in st.Condition
	lower(op) in {"bool", "boolifexists"}
	some k, v in conds
	lower(k) == "aws:securetransport"
	falsy(v)
}

enforces_tls(p) if {
	some s in lib.permission_statements(p)
	denies_plain_http(s.st)
}

deny contains f if {
	some p in input.resources
	p.resource_type in policy_types
	some d in lib.permission_documents(p)
	not enforces_tls(p)
	f := {"msg": sprintf("bucket policy %s does not deny requests made without TLS (aws:SecureTransport false)", [p.name]), "resource": p.address, "path": d.path}
}

# The legacy inline policy of a Terraform bucket.
deny contains f if {
	some b in lib.buckets(input.resources)
	startswith(b.resource_type, "aws_")
	b.properties.policy
	count(lib.bucket_policies(input.resources, b)) == 0
	not enforces_tls(b)
	f := {"msg": sprintf("the policy of S3 bucket %s does not deny requests made without TLS", [b.name]), "resource": b.address, "path": ["policy"]}
}

deny contains f if {
	some b in lib.buckets(input.resources)
	count(lib.bucket_policies(input.resources, b)) == 0
	not b.properties.policy
	f := {"msg": sprintf("S3 bucket %s has no bucket policy denying requests made without TLS", [b.name]), "resource": b.address}
}
