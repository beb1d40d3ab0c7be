# "*" or "sqs:*" in an Allow statement grants every queue action, including
# deleting the queue, purging it and changing its policy.
package custody.posture.sqs_policy_wildcard_action

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_SQS_POLICY_WILDCARD_ACTION",
	"title": "SQS queue policies should not allow all actions",
	"severity": "HIGH",
	"resource_types": ["AWS::SQS::QueuePolicy", "aws_sqs_queue_policy", "aws_sqs_queue"],
	"scope": "resource",
	"checkov": ["CKV_AWS_72"],
	"kics": [],
	"trivy": ["AVD-AWS-0097"],
	"cfn_guard": ["SQS_QUEUEPOLICY_NO_WILDCARD_ACTION"],
	"cfn_nag": ["F20"],
	"follows": "cfn-guard, Trivy and Checkov: \"*\" and \"sqs:*\" in an Allow statement are reported, whoever the principal",
	"exposure": 2, "data_sensitivity": 2, "blast_radius": 2,
	"remediation": "List only the actions the principal needs (e.g. sqs:SendMessage).",
}

# CloudFormation: the statement's key; Terraform: the policy attribute.
path(s) := array.concat(s.path, ["Action"]) if input.format != "terraform"

path(s) := s.path if input.format == "terraform"

deny contains {"msg": sprintf("SQS queue policy %s allows all actions (%v)", [input.name, s.st.Action]), "path": path(s)} if {
	some s in lib.policy_statements(input)
	lib.allows(s.st)
	lib.wildcard_action(s.st)
}
