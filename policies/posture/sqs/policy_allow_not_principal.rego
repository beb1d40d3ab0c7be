# Allow with NotPrincipal grants access to everyone except the listed
# principals, anonymous callers included.
package custody.posture.sqs_policy_allow_not_principal

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_SQS_POLICY_ALLOW_NOT_PRINCIPAL",
	"title": "SQS queue policies should not combine Allow with NotPrincipal",
	"severity": "HIGH",
	"resource_types": ["AWS::SQS::QueuePolicy", "aws_sqs_queue_policy", "aws_sqs_queue"],
	"scope": "resource",
	"checkov": [],
	"kics": [],
	"trivy": [],
	"cfn_guard": ["SQS_QUEUEPOLICY_NO_ALLOW_PLUS_NOTPRINCIPAL"],
	"cfn_nag": ["F7"],
	"follows": "cfn-guard and cfn_nag",
	"exposure": 3, "data_sensitivity": 2, "blast_radius": 2,
	"remediation": "Name the allowed principals in Principal instead of excluding some with NotPrincipal.",
}

# CloudFormation: the statement's key; Terraform: the policy attribute.
path(s) := array.concat(s.path, ["NotPrincipal"]) if input.format != "terraform"

path(s) := s.path if input.format == "terraform"

deny contains {"msg": sprintf("SQS queue policy %s allows every principal except those in NotPrincipal", [input.name]), "path": path(s)} if {
	some s in lib.policy_statements(input)
	lib.allows(s.st)
	s.st.NotPrincipal
}
