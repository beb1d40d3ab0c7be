package custody.posture.s3_policy_wildcard_principal

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_S3_POLICY_WILDCARD_PRINCIPAL",
	"title": "S3 bucket policies should not allow any principal",
	"severity": "HIGH",
	"resource_types": ["AWS::S3::BucketPolicy", "aws_s3_bucket_policy", "aws_s3_bucket"],
	"scope": "resource",
	"cfn_guard": ["S3_BUCKET_POLICY_NO_WILDCARD_PRINCIPAL"],
	"cfn_nag": ["F16"],
	"checkov": ["CKV_AWS_70"],
	"follows": "cfn-guard and cfn_nag F16: an Allow statement whose Principal is \"*\" (or {AWS: \"*\"}) is reported even when it has a Condition, because a condition on a public grant is easy to get wrong; Deny statements with Principal \"*\" are the normal way to enforce TLS and are not reported.",
	"exposure": 2, "data_sensitivity": 2, "blast_radius": 1.5,
	"remediation": "Name the accounts, roles or services that need access in Principal instead of \"*\".",
}

# The document's own key (PolicyDocument / policy): where KICS reports.
doc_path(p) := [p[0]]

deny contains f if {
	some s in lib.permission_statements(input)
	lib.allows(s.st)
	lib.wildcard_principal(s.st)
	f := {"msg": sprintf("bucket policy %s allows any principal (\"*\")", [input.name]), "path": array.concat(s.path, ["Principal"])}
}
