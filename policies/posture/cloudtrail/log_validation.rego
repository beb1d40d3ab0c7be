# Log file validation writes signed digests, so tampering with or deleting
# delivered log files can be detected.
package custody.posture.cloudtrail_log_validation

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_CLOUDTRAIL_LOG_VALIDATION",
	"title": "CloudTrail trails should have log file validation enabled",
	"severity": "MEDIUM",
	"resource_types": ["AWS::CloudTrail::Trail", "aws_cloudtrail"],
	"scope": "resource",
	"checkov": ["CKV_AWS_36"],
	"kics": [],
	"trivy": ["AVD-AWS-0016"],
	"cfn_guard": ["CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED"],
	"cfn_nag": [],
	"follows": "all agree: EnableLogFileValidation must be true (absent is off)",
	"exposure": 1, "data_sensitivity": 2, "blast_radius": 3,
	"remediation": "Set EnableLogFileValidation: true (Terraform: enable_log_file_validation = true).",
	"fix": {"set": {"EnableLogFileValidation": true}},
}

p := input.properties

deny contains {"msg": sprintf("CloudTrail trail %s does not validate its log files (EnableLogFileValidation)", [input.name]), "path": ["EnableLogFileValidation"], "fix": {"set": {"EnableLogFileValidation": true}}} if {
	input.resource_type == "AWS::CloudTrail::Trail"
	not lib.is_true(object.get(p, "EnableLogFileValidation", false))
	not lib.intrinsic(object.get(p, "EnableLogFileValidation", false))
}

deny contains {"msg": sprintf("CloudTrail trail %s does not validate its log files (enable_log_file_validation)", [input.name]), "path": ["enable_log_file_validation"], "fix": {"set": {"enable_log_file_validation": true}}} if {
	input.resource_type == "aws_cloudtrail"
	not lib.is_true(object.get(p, "enable_log_file_validation", false))
}
