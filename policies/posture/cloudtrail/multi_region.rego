# A single-region trail misses activity in every other region, where an
# attacker can work unseen.
package custody.posture.cloudtrail_multi_region

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_CLOUDTRAIL_MULTI_REGION",
	"title": "CloudTrail trails should cover all regions",
	"severity": "MEDIUM",
	"resource_types": ["AWS::CloudTrail::Trail", "aws_cloudtrail"],
	"scope": "resource",
	"checkov": ["CKV_AWS_67"],
	"kics": [],
	"trivy": ["AVD-AWS-0014"],
	"cfn_guard": ["MULTI_REGION_CLOUD_TRAIL_ENABLED"],
	"cfn_nag": [],
	"follows": "all agree: IsMultiRegionTrail must be true (absent is off)",
	"exposure": 1, "data_sensitivity": 2, "blast_radius": 3,
	"remediation": "Set IsMultiRegionTrail: true (Terraform: is_multi_region_trail = true).",
	"fix": {"set": {"IsMultiRegionTrail": true}},
}

p := input.properties

deny contains {"msg": sprintf("CloudTrail trail %s records one region only (IsMultiRegionTrail)", [input.name]), "path": ["IsMultiRegionTrail"], "fix": {"set": {"IsMultiRegionTrail": true}}} if {
	input.resource_type == "AWS::CloudTrail::Trail"
	not lib.is_true(object.get(p, "IsMultiRegionTrail", false))
	not lib.intrinsic(object.get(p, "IsMultiRegionTrail", false))
}

deny contains {"msg": sprintf("CloudTrail trail %s records one region only (is_multi_region_trail)", [input.name]), "path": ["is_multi_region_trail"], "fix": {"set": {"is_multi_region_trail": true}}} if {
	input.resource_type == "aws_cloudtrail"
	not lib.is_true(object.get(p, "is_multi_region_trail", false))
}
