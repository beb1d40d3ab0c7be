package custody.posture.s3_policy_wildcard_action

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_S3_POLICY_WILDCARD_ACTION",
	"title": "S3 bucket policies should not allow all actions",
	"severity": "HIGH",
	"resource_types": ["AWS::S3::BucketPolicy", "aws_s3_bucket_policy", "aws_s3_bucket"],
	"scope": "resource",
	"cfn_guard": ["S3_BUCKET_POLICY_NO_WILDCARD_ACTION"],
	"cfn_nag": ["F15"],
	"kics": ["4ae8af91-5108-42cb-9471-3bdbe596eac9"],
	"follows": "cfn-guard (Action \"*\" or \"s3:*\" in an Allow statement) and KICS's S3 Bucket With All Permissions; the KICS finding points at the PolicyDocument.",
	"exposure": 2, "data_sensitivity": 2, "blast_radius": 1.5,
	"remediation": "List the S3 actions the principals need (s3:GetObject, s3:PutObject, ...) instead of \"*\" or \"s3:*\".",
}

# The document's own key (PolicyDocument / policy): where KICS reports.
doc_path(p) := [p[0]]

deny contains f if {
	some s in lib.permission_statements(input)
	lib.allows(s.st)
	lib.full_service_action(s.st)
	f := {"msg": sprintf("bucket policy %s allows all actions", [input.name]), "path": doc_path(s.path)}
}
