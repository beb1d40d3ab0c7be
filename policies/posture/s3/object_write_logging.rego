package custody.posture.s3_object_write_logging

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_S3_OBJECT_WRITE_LOGGING",
	"title": "S3 object-level writes should be recorded by a CloudTrail trail",
	"severity": "LOW",
	"resource_types": ["AWS::S3::Bucket", "aws_s3_bucket", "AWS::CloudTrail::Trail", "aws_cloudtrail"],
	"scope": "template",
	"trivy": ["AVD-AWS-0171"],
	"follows": "trivy: a bucket is covered when a trail in the same template has an event selector (or advanced event selector) for AWS::S3::Object data events with read-write type All (or the matching ReadOnly/WriteOnly) on all buckets or on this bucket. A template without a trail is reported too (trivy does the same); where an organization trail records data events, suppress this check in the baseline. LOW for that reason.",
	"exposure": 1, "data_sensitivity": 1.5, "blast_radius": 1,
	"remediation": "Add an event selector to the trail: DataResources [{Type: AWS::S3::Object, Values: [arn:aws:s3:::bucket/]}] with ReadWriteType All.",
}

trails := [t | some t in input.resources; t.resource_type in {"AWS::CloudTrail::Trail", "aws_cloudtrail"}]

# A CloudFormation or Terraform event selector covering S3 objects.
selectors(t) := lib.as_array(object.get(t.properties, "EventSelectors", [])) if startswith(t.resource_type, "AWS::")

selectors(t) := lib.as_array(object.get(t.properties, "event_selector", [])) if startswith(t.resource_type, "aws_")

data_resources(sel) := lib.as_array(object.get(sel, "DataResources", object.get(sel, "data_resource", [])))

rw(sel) := object.get(sel, "ReadWriteType", object.get(sel, "read_write_type", "All"))

covers_bucket(values, b) if {
	some v in lib.as_array(values)
	is_string(v)
	v in {"arn:aws:s3", "arn:aws:s3:::"}
}

covers_bucket(values, b) if {
	some v in lib.as_array(values)
	is_string(v)
	name := object.get(b.properties, "BucketName", object.get(b.properties, "bucket", ""))
	name != ""
	startswith(v, concat("", ["arn:aws:s3:::", name, "/"]))
}

covers_bucket(values, b) if {
	some v in lib.as_array(values)
	is_string(v)
	contains(v, concat("", [b.address, "."]))
}

covers_bucket(values, b) if {
	some v in lib.as_array(values)
	is_object(v)
	contains(json.marshal(v), b.name)
}

logged(b, want) if {
	some t in trails
	some sel in selectors(t)
	rw(sel) in {"All", want}
	some dr in data_resources(sel)
	object.get(dr, "Type", object.get(dr, "type", "")) == "AWS::S3::Object"
	covers_bucket(object.get(dr, "Values", object.get(dr, "values", [])), b)
}

# Terraform advanced event selectors: resources.type equals AWS::S3::Object.
logged(b, want) if {
	some t in trails
	some sel in lib.as_array(object.get(t.properties, "advanced_event_selector", []))
	some fs in lib.as_array(object.get(sel, "field_selector", []))
	fs.field == "resources.type"
	"AWS::S3::Object" in lib.as_array(fs.equals)
}

deny contains f if {
	some b in lib.buckets(input.resources)
	not logged(b, "WriteOnly")
	f := {"msg": sprintf("no CloudTrail trail in the template records object-level writes on S3 bucket %s", [b.name]), "resource": b.address}
}
