# Allow with NotAction grants every action except the listed ones,
# including actions added to the service later: almost never what is meant.
package custody.posture.sns_policy_allow_not_action

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_SNS_POLICY_ALLOW_NOT_ACTION",
	"title": "SNS topic policies should not combine Allow with NotAction",
	"severity": "MEDIUM",
	"resource_types": ["AWS::SNS::TopicPolicy", "aws_sns_topic_policy", "aws_sns_topic"],
	"scope": "resource",
	"checkov": [],
	"kics": [],
	"trivy": [],
	"cfn_guard": ["SNS_TOPICPOLICY_NO_ALLOW_PLUS_NOT_ACTION"],
	"cfn_nag": ["W19"],
	"follows": "cfn-guard and cfn_nag",
	"exposure": 2, "data_sensitivity": 2, "blast_radius": 2,
	"remediation": "List the allowed actions in Action instead of excluding some with NotAction.",
}

# CloudFormation: the statement's key; Terraform: the policy attribute.
path(s) := array.concat(s.path, ["NotAction"]) if input.format != "terraform"

path(s) := s.path if input.format == "terraform"

deny contains {"msg": sprintf("SNS topic policy %s allows every action except those in NotAction", [input.name]), "path": path(s)} if {
	some s in lib.policy_statements(input)
	lib.allows(s.st)
	s.st.NotAction
}
