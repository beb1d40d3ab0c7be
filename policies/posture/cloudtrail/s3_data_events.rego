# Management events do not show who read or wrote which S3 object; data
# event selectors for AWS::S3::Object do.
package custody.posture.cloudtrail_s3_data_events

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_CLOUDTRAIL_S3_DATA_EVENTS",
	"title": "CloudTrail trails should record S3 data events",
	"severity": "LOW",
	"resource_types": ["AWS::CloudTrail::Trail", "aws_cloudtrail"],
	"scope": "resource",
	"checkov": [],
	"kics": [],
	"trivy": [],
	"cfn_guard": ["CLOUDTRAIL_S3_DATAEVENTS_ENABLED"],
	"cfn_nag": [],
	"follows": "cfn-guard (AWS Config cloudtrail-s3-dataevents-enabled): some EventSelectors entry must have a DataResources entry of type AWS::S3::Object; advanced event selectors on resources.type AWS::S3::Object count too",
	"exposure": 1, "data_sensitivity": 2, "blast_radius": 3,
	"remediation": "Add an EventSelectors entry with DataResources [{Type: AWS::S3::Object, Values: [arn:aws:s3]}] (Terraform: event_selector { data_resource { type = \"AWS::S3::Object\" ... } }).",
}

p := input.properties

s3_objects(t) if t == "AWS::S3::Object"

cfn_s3 if {
	some sel in lib.as_array(p.EventSelectors)
	some dr in lib.as_array(sel.DataResources)
	s3_objects(dr.Type)
}

cfn_s3 if {
	some sel in lib.as_array(p.AdvancedEventSelectors)
	some f in lib.as_array(sel.FieldSelectors)
	f.Field == "resources.type"
	"AWS::S3::Object" in lib.as_array(f.Equals)
}

tf_s3 if {
	some sel in lib.blocks(p.event_selector)
	some dr in lib.blocks(sel.data_resource)
	s3_objects(dr.type)
}

tf_s3 if {
	some sel in lib.blocks(p.advanced_event_selector)
	some f in lib.blocks(sel.field_selector)
	f.field == "resources.type"
	"AWS::S3::Object" in lib.as_array(f.equals)
}

deny contains {"msg": sprintf("CloudTrail trail %s does not record S3 data events", [input.name]), "path": ["EventSelectors"]} if {
	input.resource_type == "AWS::CloudTrail::Trail"
	not cfn_s3
}

deny contains {"msg": sprintf("CloudTrail trail %s does not record S3 data events", [input.name]), "path": ["event_selector"]} if {
	input.resource_type == "aws_cloudtrail"
	not tf_s3
}
