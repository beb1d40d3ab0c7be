package custody.posture.iam_root_access_key

import rego.v1

metadata := {
	"id": "CUSTODY_IAM_ROOT_ACCESS_KEY",
	"title": "No access key should be created for a user named root",
	"severity": "CRITICAL",
	"resource_types": ["aws_iam_access_key", "AWS::IAM::AccessKey"],
	"scope": "template",
	"trivy": ["AVD-AWS-0141"],
	"follows": "trivy: an access key whose user is root (by name, or by reference to a user resource named root).",
	"exposure": 2, "data_sensitivity": 2, "blast_radius": 2,
	"remediation": "Do not create long-lived keys for the root identity; use roles with temporary credentials.",
}

root_user(x) if x == "root"

root_user(x) if {
	is_string(x)
	some u in input.resources
	u.resource_type == "aws_iam_user"
	u.properties.name == "root"
	startswith(x, concat("", [u.address, "."]))
}

root_user(x) if {
	some u in input.resources
	u.resource_type == "AWS::IAM::User"
	u.properties.UserName == "root"
	x == {"Ref": u.name}
}

deny contains f if {
	some k in input.resources
	k.resource_type in {"aws_iam_access_key", "AWS::IAM::AccessKey"}
	user := object.get(k.properties, "user", object.get(k.properties, "UserName", null))
	root_user(user)
	f := {"msg": sprintf("%s creates an access key for the root user", [k.address]), "resource": k.address}
}
