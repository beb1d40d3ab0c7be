# Anyone (principal "*") allowed to manage a queue (add permissions, change
# attributes, delete or purge it) can take it over or destroy it; sending
# and receiving are judged by CUSTODY_SQS_POLICY_WILDCARD_PRINCIPAL.
package custody.posture.sqs_policy_public_management

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_SQS_POLICY_PUBLIC_MANAGEMENT",
	"title": "SQS queue policies should not let any principal manage the queue",
	"severity": "HIGH",
	"resource_types": ["AWS::SQS::QueuePolicy", "aws_sqs_queue_policy", "aws_sqs_queue"],
	"scope": "resource",
	"checkov": [],
	"kics": ["9b6a3f5b-5fd6-40ee-9bc0-ed604911212d"],
	"trivy": [],
	"cfn_guard": [],
	"cfn_nag": [],
	"follows": "kics: an Allow statement with a wildcard principal and an action beyond sending, receiving and reading messages (\"*\", sqs:*, AddPermission, CreateQueue, DeleteQueue, PurgeQueue, SetQueueAttributes, ...) is reported at the PolicyDocument",
	"exposure": 3, "data_sensitivity": 2, "blast_radius": 3,
	"remediation": "Remove the management actions from statements with Principal \"*\", or name the principals that may manage the queue.",
}

message_actions := {
	"sqs:sendmessage", "sqs:sendmessagebatch", "sqs:receivemessage", "sqs:deletemessage", "sqs:deletemessagebatch",
	"sqs:changemessagevisibility", "sqs:changemessagevisibilitybatch", "sqs:getqueueattributes", "sqs:getqueueurl",
	"sqs:listqueuetags", "sqs:listdeadlettersourcequeues", "sqs:listqueues",
}

deny contains {"msg": sprintf("SQS queue policy %s lets any principal manage the queue (%s)", [input.name, concat(", ", sort(bad))]), "path": [s.path[0]]} if {
	some s in lib.policy_statements(input)
	lib.allows(s.st)
	lib.wildcard_principal(s.st)
	not lib.scoped_by_condition(s.st)
	bad := {a | some a in lib.actions(s.st); not a in message_actions}
	count(bad) > 0
}
