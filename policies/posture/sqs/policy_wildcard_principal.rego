# An SQS queue policy that allows "*" (or "arn:aws:iam::*") lets every AWS
# account, or anyone, use the queue; a statement narrowed by a condition on
# the caller (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID, ...) is
# the documented service-to-service pattern and is not reported.
package custody.posture.sqs_policy_wildcard_principal

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_SQS_POLICY_WILDCARD_PRINCIPAL",
	"title": "SQS queue policies should not allow a wildcard principal",
	"severity": "HIGH",
	"resource_types": ["AWS::SQS::QueuePolicy", "aws_sqs_queue_policy", "aws_sqs_queue"],
	"scope": "resource",
	"checkov": [],
	"kics": [],
	"trivy": [],
	"cfn_guard": ["SQS_QUEUEPOLICY_NO_WILDCARD_PRINCIPAL"],
	"cfn_nag": ["F21"],
	"follows": "cfn-guard: an Allow statement whose principal contains \"*\" is reported at the statement's Principal; unlike cfn-guard, a statement with a condition on the calling source, account or organization is accepted (it is how SNS, S3 and EventBridge are allowed to deliver)",
	"exposure": 3, "data_sensitivity": 2, "blast_radius": 2,
	"remediation": "Name the accounts, roles or services that need access as Principal, or add a condition on aws:SourceArn / aws:SourceAccount / aws:PrincipalOrgID.",
}

# CloudFormation: the statement's key; Terraform: the policy attribute.
path(s) := array.concat(s.path, ["Principal"]) if input.format != "terraform"

path(s) := s.path if input.format == "terraform"

deny contains {"msg": sprintf("SQS queue policy %s allows any principal (%v)", [input.name, s.st.Principal]), "path": path(s)} if {
	some s in lib.policy_statements(input)
	lib.allows(s.st)
	lib.wildcard_principal(s.st)
	not lib.scoped_by_condition(s.st)
}
