# Allow with NotPrincipal grants access to everyone except the listed
# principals, anonymous callers included.
package custody.posture.sns_policy_allow_not_principal

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_SNS_POLICY_ALLOW_NOT_PRINCIPAL",
	"title": "SNS topic policies should not combine Allow with NotPrincipal",
	"severity": "HIGH",
	"resource_types": ["AWS::SNS::TopicPolicy", "aws_sns_topic_policy", "aws_sns_topic"],
	"scope": "resource",
	"checkov": [],
	"kics": [],
	"trivy": [],
	"cfn_guard": ["SNS_TOPICPOLICY_NO_ALLOW_PLUS_NOTPRINCIPAL"],
	"cfn_nag": ["F8"],
	"follows": "cfn-guard and cfn_nag",
	"exposure": 3, "data_sensitivity": 2, "blast_radius": 2,
	"remediation": "Name the allowed principals in Principal instead of excluding some with NotPrincipal.",
}

# CloudFormation: the statement's key; Terraform: the policy attribute.
path(s) := array.concat(s.path, ["NotPrincipal"]) if input.format != "terraform"

path(s) := s.path if input.format == "terraform"

deny contains {"msg": sprintf("SNS topic policy %s allows every principal except those in NotPrincipal", [input.name]), "path": path(s)} if {
	some s in lib.policy_statements(input)
	lib.allows(s.st)
	s.st.NotPrincipal
}
