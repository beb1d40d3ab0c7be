package custody.posture.s3_policy_allow_not_principal

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_S3_POLICY_ALLOW_NOT_PRINCIPAL",
	"title": "S3 bucket policies should not combine Allow with NotPrincipal",
	"severity": "HIGH",
	"resource_types": ["AWS::S3::BucketPolicy", "aws_s3_bucket_policy", "aws_s3_bucket"],
	"scope": "resource",
	"cfn_guard": ["S3_BUCKETPOLICY_NO_ALLOW_PLUS_NOTPRINCIPAL"],
	"cfn_nag": ["F9"],
	"follows": "cfn-guard: any Allow statement with NotPrincipal is reported: it grants access to every principal not listed, anonymous users included.",
	"exposure": 2, "data_sensitivity": 2, "blast_radius": 1.5,
	"remediation": "Replace NotPrincipal with a Principal list of who is allowed.",
}

# The document's own key (PolicyDocument / policy): where KICS reports.
doc_path(p) := [p[0]]

deny contains f if {
	some s in lib.permission_statements(input)
	lib.allows(s.st)
	lib.allow_not_principal(s.st)
	f := {"msg": sprintf("bucket policy %s combines Allow with NotPrincipal", [input.name]), "path": array.concat(s.path, ["NotPrincipal"])}
}
