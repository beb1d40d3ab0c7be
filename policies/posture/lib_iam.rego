# Shared helpers for the posture checks that read IAM policy documents (IAM
# policies and roles, S3 bucket policies, KMS key policies) and that join S3
# buckets with the resources that configure them. Not a check: no metadata,
# no findings.
#
# Documents come as CloudFormation objects, or in Terraform as JSON strings
# (a literal, a heredoc or jsonencode(...)); a document that cannot be read
# as an object (an unresolved data source reference) yields no statements.
package custody.posture.lib.iam

import rego.v1

as_array(x) := x if is_array(x)

as_array(x) := [x] if not is_array(x)

# A policy document as an object, whatever form it was written in.
document(x) := x if is_object(x)

document(x) := d if {
	is_string(x)
	json.is_valid(x)
	d := json.unmarshal(x)
	is_object(d)
}

# Terraform's jsonencode({...}) kept as source text: its HCL object syntax
# rewritten to JSON (keys quoted, "=" to ":", newline-separated members given
# commas, trailing commas dropped). A policy that refers to other resources
# or variables is not valid JSON afterwards and is not judged.
document(x) := d if {
	is_string(x)
	t := trim_space(x)
	startswith(t, "jsonencode(")
	endswith(t, ")")
	j := hcl_object_json(substring(t, 11, count(t) - 12))
	json.is_valid(j)
	d := json.unmarshal(j)
	is_object(d)
}

hcl_object_json(s) := j if {
	q1 := regex.replace(s, `("[^"\n]*")[ \t]*=[ \t]*`, "$1: ")
	q2 := regex.replace(q1, `(^|[{,\s])([A-Za-z_][A-Za-z0-9_-]*)[ \t]*=[ \t]*`, `$1"$2": `)
	c1 := regex.replace(q2, `([}\]"]|true|false|null|[0-9])[ \t]*\n(\s*)(["{\[])`, "$1,\n$2$3")
	j := regex.replace(c1, `,(\s*[}\]])`, "$1")
}

# Each statement of a document with its path relative to the document.
statements(doc) := [{"st": st, "path": ["Statement", i]} | some i, st in doc.Statement] if is_array(doc.Statement)

statements(doc) := [{"st": doc.Statement, "path": ["Statement"]}] if is_object(doc.Statement)

allows(st) if st.Effect == "Allow"

denies(st) if st.Effect == "Deny"

# Lower-cased actions of a statement (Action only; NotAction is separate).
actions(st) := {lower(a) | some a in as_array(st.Action); is_string(a)}

resources(st) := {r | some r in as_array(st.Resource); is_string(r)}

# The action grants every action of every service.
all_actions(st) if "*" in actions(st)

# The action grants every action of one service ("s3:*") or of all.
full_service_action(st) if {
	some a in actions(st)
	full_action(a)
}

full_action("*")

full_action(a) if {
	endswith(a, ":*")
	not contains(trim_suffix(a, ":*"), "*")
}

all_resources(st) if "*" in resources(st)

# Every principal value of a statement: "*" for Principal: "*", and each
# string under {"AWS": ..., "Service": ..., "Federated": ..., "CanonicalUser": ...}.
principal_values(st) := {"*"} if st.Principal == "*"

principal_values(st) := {v |
	is_object(st.Principal)
	some vals in st.Principal
	some v in as_array(vals)
	is_string(v)
} if is_object(st.Principal)

wildcard_principal(st) if "*" in principal_values(st)

has_condition(st) if {
	is_object(st.Condition)
	count(st.Condition) > 0
}

# The permission documents a resource carries, each as {"doc", "path"}
# where path is the key path under properties (trust policies excluded):
# PolicyDocument (IAM Policy, ManagedPolicy, S3/SQS/SNS policies),
# Policies[i].PolicyDocument (Role, User, Group inline policies),
# KeyPolicy (KMS), Terraform's policy attribute and inline_policy blocks.
permission_documents(r) := array.concat(
	array.concat(
		[{"doc": doc, "path": ["PolicyDocument"]} | doc := document(r.properties.PolicyDocument)],
		[{"doc": doc, "path": ["KeyPolicy"]} | doc := document(r.properties.KeyPolicy)],
	),
	array.concat(
		[{"doc": doc, "path": ["Policies", i, "PolicyDocument"]} |
			some i, p in as_array(object.get(r.properties, "Policies", []))
			doc := document(p.PolicyDocument)
		],
		_sam_policies(r),
	),
) if startswith(r.resource_type, "AWS::")

# SAM functions and state machines: Policies is a document, or a list of
# managed policy names, policy templates and documents.
sam_types := {"AWS::Serverless::Function", "AWS::Serverless::StateMachine"}

_sam_policies(r) := [{"doc": r.properties.Policies, "path": ["Policies"]}] if {
	r.resource_type in sam_types
	is_object(r.properties.Policies)
	r.properties.Policies.Statement
}

_sam_policies(r) := [{"doc": p, "path": ["Policies", i]} |
	some i, p in r.properties.Policies
	is_object(p)
	p.Statement
] if {
	r.resource_type in sam_types
	is_array(r.properties.Policies)
}

_sam_policies(r) := [] if not r.resource_type in sam_types

_sam_policies(r) := [] if {
	r.resource_type in sam_types
	not is_array(r.properties.Policies)
	not r.properties.Policies.Statement
}

# Serverless Framework functions: the provider's (or function's)
# iamRoleStatements, or iam.role.statements (v3).
permission_documents(r) := array.concat(
	[{"doc": {"Statement": r.properties.iamRoleStatements}, "path": ["iamRoleStatements"]} | is_array(r.properties.iamRoleStatements)],
	[{"doc": {"Statement": r.properties.iam.role.statements}, "path": ["iam", "role", "statements"]} | is_array(r.properties.iam.role.statements)],
) if r.resource_type == "serverless:function"

permission_documents(r) := array.concat(
	[{"doc": doc, "path": ["policy"]} | doc := document(r.properties.policy)],
	_tf_inline(object.get(r.properties, "inline_policy", [])),
) if startswith(r.resource_type, "aws_")

_tf_inline(x) := [{"doc": doc, "path": ["inline_policy", "policy"]} | doc := document(x.policy)] if is_object(x)

_tf_inline(x) := [{"doc": doc, "path": ["inline_policy", i, "policy"]} |
	some i, p in x
	doc := document(p.policy)
] if is_array(x)

# Every statement of a resource's permission documents: {"st", "path"} with
# the path from properties down to the statement.
permission_statements(r) := {{"st": s.st, "path": array.concat(d.path, s.path)} |
	some d in permission_documents(r)
	some s in statements(d.doc)
}

# The trust policy of a role.
trust_document(r) := d if {
	startswith(r.resource_type, "AWS::")
	d := document(r.properties.AssumeRolePolicyDocument)
}

trust_document(r) := d if {
	startswith(r.resource_type, "aws_")
	d := document(r.properties.assume_role_policy)
}

trust_path(r) := ["AssumeRolePolicyDocument"] if startswith(r.resource_type, "AWS::")

trust_path(r) := ["assume_role_policy"] if startswith(r.resource_type, "aws_")

trust_statements(r) := {{"st": s.st, "path": array.concat(trust_path(r), s.path)} |
	doc := trust_document(r)
	some s in statements(doc)
}

# ---------------------------------------------------------------------------
# S3: buckets and the resources that configure them.

bucket_types := {"AWS::S3::Bucket", "aws_s3_bucket"}

buckets(resources) := [b | some b in resources; b.resource_type in bucket_types]

# A Terraform resource (aws_s3_bucket_versioning, ..._policy, ...) refers to
# bucket b: by reference (aws_s3_bucket.NAME.id/.bucket/.arn) or by the
# same literal bucket name.
tf_refers(r, b) if {
	ref := r.properties.bucket
	is_string(ref)
	startswith(ref, concat("", [b.address, "."]))
}

tf_refers(r, b) if {
	ref := r.properties.bucket
	is_string(ref)
	ref == b.properties.bucket
}

tf_refers(r, b) if {
	ref := r.properties.bucket
	is_string(ref)
	startswith(ref, concat("", ["${", b.address, "."]))
}

# The Terraform companion resources of type t for bucket b.
tf_companions(resources, b, t) := [r |
	some r in resources
	r.resource_type == t
	tf_refers(r, b)
]

# A CloudFormation AWS::S3::BucketPolicy is about bucket b.
cfn_policy_for(p, b) if p.properties.Bucket.Ref == b.name

cfn_policy_for(p, b) if {
	name := b.properties.BucketName
	is_string(name)
	p.properties.Bucket == name
}

# The bucket policies (CloudFormation or Terraform) attached to bucket b.
bucket_policies(resources, b) := [p |
	some p in resources
	p.resource_type == "AWS::S3::BucketPolicy"
	cfn_policy_for(p, b)
] if startswith(b.resource_type, "AWS::")

bucket_policies(resources, b) := [p |
	some p in resources
	p.resource_type == "aws_s3_bucket_policy"
	tf_refers(p, b)
] if startswith(b.resource_type, "aws_")

# Allow combined with NotAction / NotPrincipal / NotResource: grants
# everything except a list, which usually grants far more than meant.
allow_not_action(st) if {
	allows(st)
	st.NotAction
}

allow_not_principal(st) if {
	allows(st)
	st.NotPrincipal
}

allow_not_resource(st) if {
	allows(st)
	st.NotResource
}

# ---------------------------------------------------------------------------
# IAM resources by kind, across CloudFormation, SAM and Terraform.

policy_types := {"AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"}

identity_types := {"AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group", "aws_iam_role"}

role_types := {"AWS::IAM::Role", "aws_iam_role"}

# Terraform's aws_iam_policy_document data source, written as HCL blocks:
# statement { effect, actions, not_actions, resources, not_resources,
# principals { type, identifiers }, condition { test, variable, values } }.
policy_document_types := {"aws_iam_policy_document", "data.aws_iam_policy_document"}

hcl_statement(s) := {k: v |
	some k, v in {
		"Effect": object.get(s, "effect", "Allow"),
		"Action": object.get(s, "actions", null),
		"NotAction": object.get(s, "not_actions", null),
		"Resource": object.get(s, "resources", null),
		"NotResource": object.get(s, "not_resources", null),
		"Principal": _hcl_principals(object.get(s, "principals", null)),
		"NotPrincipal": _hcl_principals(object.get(s, "not_principals", null)),
		"Condition": _hcl_conditions(object.get(s, "condition", null)),
	}
	v != null
}

_hcl_principals(null) := null

_hcl_principals(p) := {t: _hcl_identifiers(p, t) |
	some b in as_array(p)
	t := b.type
} if p != null

_hcl_identifiers(p, t) := [i |
	some b in as_array(p)
	b.type == t
	some i in as_array(b.identifiers)
]

_hcl_conditions(null) := null

_hcl_conditions(c) := {test: _hcl_condition_vars(c, test) |
	some b in as_array(c)
	test := b.test
} if c != null

_hcl_condition_vars(c, test) := {v: vals |
	some b in as_array(c)
	b.test == test
	v := b.variable
	vals := b.values
}

hcl_document_statements(r) := [{"st": hcl_statement(s), "path": ["statement", i]} | some i, s in as_array(r.properties.statement)] if is_array(r.properties.statement)

hcl_document_statements(r) := [{"st": hcl_statement(r.properties.statement), "path": ["statement"]}] if is_object(r.properties.statement)

# Statements of every permission policy a resource carries, the HCL policy
# document data source included.
all_permission_statements(r) := permission_statements(r) if not r.resource_type in policy_document_types

all_permission_statements(r) := {s | some s in hcl_document_statements(r)} if r.resource_type in policy_document_types

# Terraform nested blocks: an object when written once in HCL, an array in
# plan JSON (empty when absent there). has_block is true when the block is
# present and not empty in either form; blocks gives them as an array.
has_block(obj, key) if {
	v := obj[key]
	v != null
	v != []
	v != {}
}

blocks(obj, key) := [b | some b in as_array(object.get(obj, key, [])); b != null]
