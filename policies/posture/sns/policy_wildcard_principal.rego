# An SNS topic policy that allows "*" (or "arn:aws:iam::*") lets every AWS
# account, or anyone, use the topic; a statement narrowed by a condition on
# the caller (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID, ...) is
# the documented service-to-service pattern and is not reported.
package custody.posture.sns_policy_wildcard_principal

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_SNS_POLICY_PUBLIC",
	"title": "SNS topic policies should not allow a wildcard principal",
	"severity": "CRITICAL",
	"resource_types": ["AWS::SNS::TopicPolicy", "aws_sns_topic_policy", "aws_sns_topic"],
	"scope": "resource",
	"checkov": [],
	"kics": ["ae53ce91-42b5-46bf-a84f-9a13366a4f13"],
	"trivy": [],
	"cfn_guard": ["SNS_TOPICPOLICY_NO_WILDCARD_PRINCIPAL"],
	"cfn_nag": ["F18"],
	"follows": "cfn-guard and KICS: an Allow statement whose principal contains \"*\" is reported at the PolicyDocument (KICS's line); unlike cfn-guard, a statement with a condition on the calling source, account or organization is accepted (it is how SNS, S3 and EventBridge are allowed to deliver)",
	"exposure": 3, "data_sensitivity": 2, "blast_radius": 2,
	"remediation": "Name the accounts, roles or services that need access as Principal, or add a condition on aws:SourceArn / aws:SourceAccount / aws:PrincipalOrgID.",
}

# The policy document, where KICS reports it (Terraform: the attribute).
path(s) := [s.path[0]]

deny contains {"msg": sprintf("SNS topic policy %s allows any principal (%v)", [input.name, s.st.Principal]), "path": path(s)} if {
	some s in lib.policy_statements(input)
	lib.allows(s.st)
	lib.wildcard_principal(s.st)
	not lib.scoped_by_condition(s.st)
}
