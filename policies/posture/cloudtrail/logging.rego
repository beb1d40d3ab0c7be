# A trail that is not logging records nothing.
package custody.posture.cloudtrail_logging

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_CLOUDTRAIL_LOGGING",
	"title": "CloudTrail trails should be logging",
	"severity": "HIGH",
	"resource_types": ["AWS::CloudTrail::Trail", "aws_cloudtrail"],
	"scope": "resource",
	"checkov": ["CKV_AWS_251"],
	"kics": [],
	"trivy": [],
	"cfn_guard": ["CLOUD_TRAIL_ENABLED"],
	"cfn_nag": [],
	"follows": "cfn-guard: CloudFormation requires IsLogging and it must be true; in Terraform enable_logging defaults to true and only false is reported",
	"exposure": 1, "data_sensitivity": 2, "blast_radius": 3,
	"remediation": "Set IsLogging: true (Terraform: remove enable_logging = false).",
	"fix": {"set": {"IsLogging": true}},
}

p := input.properties

deny contains {"msg": sprintf("CloudTrail trail %s is not logging (IsLogging is not true)", [input.name]), "path": ["IsLogging"], "fix": {"set": {"IsLogging": true}}} if {
	input.resource_type == "AWS::CloudTrail::Trail"
	not lib.is_true(object.get(p, "IsLogging", false))
	not lib.intrinsic(object.get(p, "IsLogging", false))
}

deny contains {"msg": sprintf("CloudTrail trail %s has logging turned off (enable_logging = false)", [input.name]), "path": ["enable_logging"], "fix": {"set": {"enable_logging": true}}} if {
	input.resource_type == "aws_cloudtrail"
	lib.is_false(object.get(p, "enable_logging", true))
}
