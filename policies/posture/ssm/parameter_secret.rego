# A String (or StringList) SSM parameter is stored and shown in clear; a
# name that says password, secret or token belongs in a SecureString (which
# CloudFormation cannot create: use Secrets Manager or create it outside).
package custody.posture.ssm_parameter_secret

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_SSM_PARAMETER_SECRET",
	"title": "SSM parameters that hold secrets should be SecureString",
	"severity": "HIGH",
	"resource_types": ["AWS::SSM::Parameter", "aws_ssm_parameter"],
	"scope": "resource",
	"checkov": [],
	"kics": [],
	"trivy": [],
	"cfn_guard": [],
	"cfn_nag": [],
	"follows": "custody: a parameter of type String or StringList whose name looks like a secret (password, secret, token, api key, private key, credential) is reported",
	"exposure": 2, "data_sensitivity": 3, "blast_radius": 2,
	"remediation": "Store the value as a SecureString parameter (Terraform: type = \"SecureString\" with key_id) or in Secrets Manager, and rotate it if it was committed.",
}

p := input.properties

cfn := input.resource_type == "AWS::SSM::Parameter"

name := object.get(p, "Name", input.name) if cfn

name := object.get(p, "name", input.name) if not cfn

type := p.Type if cfn

type := p.type if not cfn

secret_name(n) if {
	is_string(n)
	regex.match(`(?i)(passw(or)?d|passwd|secret|token|api[_-]?key|apikey|private[_-]?key|credential)`, n)
}

deny contains {"msg": sprintf("SSM parameter %s looks like a secret but is stored as %s, in clear", [name, type]), "path": [{true: "Type", false: "type"}[cfn]]} if {
	input.resource_type in metadata.resource_types
	type in {"String", "StringList"}
	secret_name(name)
}
