package custody.posture.iam_trust_cross_account

import rego.v1

import data.custody.posture.lib.iam as lib

metadata := {
	"id": "CUSTODY_IAM_TRUST_CROSS_ACCOUNT",
	"title": "IAM roles trusted by another AWS account should require an ExternalId or MFA",
	"severity": "MEDIUM",
	"resource_types": ["AWS::IAM::Role", "aws_iam_role"],
	"scope": "resource",
	"follows": "custody: no scanner in the corpus has this check. A trust statement whose AWS principal is an account id or an ARN of an account (literal digits, not the template's own AWS::AccountId) must carry a Condition on sts:ExternalId or aws:MultiFactorAuthPresent, the confused-deputy and stolen-key protections AWS recommends for third-party and human cross-account access. Principals written as references are not judged.",
	"exposure": 1.5, "data_sensitivity": 1.5, "blast_radius": 2,
	"remediation": "Add a Condition to the trust statement: {\"StringEquals\": {\"sts:ExternalId\": \"<shared id>\"}} for a third party, or {\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}} for people.",
}

other_account(p) if regex.match(`^[0-9]{12}$`, p)

other_account(p) if regex.match(`^arn:aws[a-z-]*:(iam|sts)::[0-9]{12}:`, p)

protected(st) if {
	some _, conds in st.Condition
	some k, _ in conds
	lower(k) in {"sts:externalid", "aws:multifactorauthpresent", "aws:multifactorauthage"}
}

deny contains f if {
	some s in lib.trust_statements(input)
	lib.allows(s.st)
	is_object(s.st.Principal)
	some p in lib.as_array(object.get(s.st.Principal, "AWS", []))
	is_string(p)
	other_account(p)
	not protected(s.st)
	f := {"msg": sprintf("IAM role %s trusts account principal %s without an ExternalId or MFA condition", [input.name, p]), "path": array.concat(s.path, ["Principal"])}
}
