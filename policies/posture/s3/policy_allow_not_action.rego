package custody.posture.s3_policy_allow_not_action

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_S3_POLICY_ALLOW_NOT_ACTION",
	"title": "S3 bucket policies should not combine Allow with NotAction",
	"severity": "MEDIUM",
	"resource_types": ["AWS::S3::BucketPolicy", "aws_s3_bucket_policy", "aws_s3_bucket"],
	"scope": "resource",
	"cfn_guard": ["S3_BUCKET_POLICY_NO_ALLOW_PLUS_NOT_ACTION"],
	"cfn_nag": ["W20"],
	"follows": "cfn-guard: any Allow statement with NotAction is reported, since it grants every action not listed, including actions added to S3 later.",
	"exposure": 2, "data_sensitivity": 2, "blast_radius": 1.5,
	"remediation": "Replace NotAction with an Action list of what is allowed.",
}

# The document's own key (PolicyDocument / policy): where KICS reports.
doc_path(p) := [p[0]]

deny contains f if {
	some s in lib.permission_statements(input)
	lib.allows(s.st)
	lib.allow_not_action(s.st)
	f := {"msg": sprintf("bucket policy %s combines Allow with NotAction", [input.name]), "path": array.concat(s.path, ["NotAction"])}
}
