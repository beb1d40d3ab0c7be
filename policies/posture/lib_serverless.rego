# Shared helpers for the serverless posture checks (Lambda, API Gateway, SQS,
# SNS, DynamoDB, CloudTrail, CloudWatch, Secrets Manager, SSM, Kubernetes,
# tags). Not a check: no metadata, no findings.
#
# Values arrive as the loaders normalize them (docs/formats/posture-policy.md):
# CloudFormation intrinsics in long form ({"Ref": "X"}), Terraform references
# as their text ("aws_kms_key.main.arn"), a block written once as an object
# and several times as an array.
package custody.posture.lib.serverless

import data.custody.posture.lib.iam
import rego.v1

as_array(x) := x if is_array(x)

as_array(x) := [x] if not is_array(x)

# Blocks of a Terraform nested block, whether written once or several times.
blocks(x) := x if is_array(x)

blocks(x) := [x] if is_object(x)

# The first block (Terraform blocks that may be written only once).
block(x) := x if is_object(x)

block(x) := x[0] if {
	is_array(x)
	is_object(x[0])
}

# A value that is set: not null, not an empty string, list or object.
present(x) if {
	x != null
	x != ""
	x != []
	x != {}
}

# true, "true" (CloudFormation parameters and YAML strings), any case.
is_true(x) if x == true

is_true(x) if {
	is_string(x)
	lower(x) == "true"
}

is_false(x) if x == false

is_false(x) if {
	is_string(x)
	lower(x) == "false"
}

# A CloudFormation intrinsic ({"Ref": ...}, {"Fn::If": ...}): its value is
# decided at deploy time, so checks give it the benefit of the doubt.
intrinsic(x) if {
	is_object(x)
	count(x) == 1
	some k, _ in x
	intrinsic_key(k)
}

intrinsic_key("Ref")

intrinsic_key("Condition")

intrinsic_key(k) if startswith(k, "Fn::")

# Key ids that are the AWS-managed default keys rather than a customer
# managed key: "alias/aws/sqs", "arn:aws:kms:...:alias/aws/sns".
aws_managed_key(k) if {
	is_string(k)
	startswith(k, "alias/aws/")
}

aws_managed_key(k) if {
	is_string(k)
	contains(k, ":alias/aws/")
}

# A customer managed key is named: set, and not an AWS-managed alias.
customer_key(k) if {
	present(k)
	not aws_managed_key(k)
}

# A policy document as an object: CloudFormation objects, or Terraform JSON
# strings (literal, heredoc); anything else (jsonencode of references, data
# sources) yields nothing.
document(x) := x if is_object(x)

document(x) := d if {
	is_string(x)
	json.is_valid(trim_space(x))
	d := json.unmarshal(trim_space(x))
	is_object(d)
}

# Terraform's jsonencode({...}) kept as text: read as the IAM helpers read it.
document(x) := d if {
	is_string(x)
	startswith(trim_space(x), "jsonencode(")
	d := iam.document(x)
}

# The statements of a document, each with its path under the document.
statements(doc) := [{"st": st, "path": ["Statement", i]} | some i, st in doc.Statement] if is_array(doc.Statement)

statements(doc) := [{"st": doc.Statement, "path": ["Statement"]}] if is_object(doc.Statement)

allows(st) if st.Effect == "Allow"

# Every principal value a statement names ("*", account ids, ARNs, service
# names), as strings where they are strings.
principals(st) := {p | some p in as_array(st.Principal); not is_object(p)} if not is_object(st.Principal)

principals(st) := {p | some _, v in st.Principal; some p in as_array(v)} if is_object(st.Principal)

# A principal that matches anyone: "*", {"AWS": "*"}, "arn:aws:iam::*",
# "arn:aws:iam::123456789012:*".
wildcard_principal(st) if {
	some p in principals(st)
	is_string(p)
	contains(p, "*")
}

actions(st) := {lower(a) | some a in as_array(st.Action); is_string(a)}

# An action that grants everything, or everything of one service ("sqs:*").
wildcard_action(st) if {
	some a in actions(st)
	a == "*"
}

wildcard_action(st) if {
	some a in actions(st)
	endswith(a, ":*")
}

# The statement is narrowed by a condition on the caller's account or
# organization (which makes a "*" principal acceptable to most tools).
has_condition(st) if present(st.Condition)

# Condition keys that tie a "*" principal to a known caller: the pattern
# AWS documents for service-to-service access (an SNS topic writing to a
# queue, S3 notifications) and for organization-wide sharing.
scoping_condition_keys := {
	"aws:sourcearn", "aws:sourceaccount", "aws:sourceowner", "aws:principalorgid", "aws:principalaccount",
	"aws:principalarn", "aws:sourcevpce", "aws:sourcevpc", "aws:principalorgpaths", "aws:userid",
}

scoped_by_condition(st) if {
	some _, op in st.Condition
	is_object(op)
	some key, _ in op
	lower(key) in scoping_condition_keys
}

# Resource policies of queues and topics: the document and its path under
# properties, for CloudFormation policy resources and Terraform policy
# resources or inline `policy` attributes.
resource_policy(r) := {"doc": document(r.properties.PolicyDocument), "path": ["PolicyDocument"]} if {
	r.resource_type in {"AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy", "AWS::SQS::QueueInlinePolicy", "AWS::SNS::TopicInlinePolicy"}
}

resource_policy(r) := {"doc": document(r.properties.policy), "path": ["policy"]} if {
	r.resource_type in {"aws_sqs_queue_policy", "aws_sqs_queue", "aws_sns_topic_policy", "aws_sns_topic"}
}

# Statements of a resource's policy with their full paths under properties.
policy_statements(r) := [{"st": s.st, "path": array.concat(rp.path, s.path)} | some s in statements(rp.doc)] if {
	rp := resource_policy(r)
	r.format != "terraform"
}

# Terraform policies are JSON text: a finding points at the attribute.
policy_statements(r) := [{"st": s.st, "path": rp.path} | some s in statements(rp.doc)] if {
	rp := resource_policy(r)
	r.format == "terraform"
}
