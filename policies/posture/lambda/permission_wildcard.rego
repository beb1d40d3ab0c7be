# A Lambda (or layer) permission whose principal is "*" lets any AWS
# account, or anyone, invoke the function or read the layer.
package custody.posture.lambda_permission_wildcard

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_LAMBDA_PERMISSION_WILDCARD",
	"title": "Lambda permissions should not grant access to a wildcard principal",
	"severity": "HIGH",
	"resource_types": ["AWS::Lambda::Permission", "AWS::Lambda::LayerVersionPermission", "aws_lambda_permission", "aws_lambda_layer_version_permission"],
	"scope": "resource",
	"checkov": ["CKV_AWS_301"],
	"kics": ["1d6e16f1-5d8a-4379-bfb3-2dadd38ed5a7"],
	"trivy": [],
	"cfn_guard": ["LAMBDA_NO_WILDCARD_PRINCIPALS"],
	"cfn_nag": ["F13"],
	"follows": "cfn-guard and KICS: a \"*\" principal is reported even when SourceAccount, SourceArn or a layer's OrganizationId narrows it, since the narrowing is easy to lose in a later edit; CUSTODY_LAMBDA_PERMISSION_UNSCOPED covers what is reachable",
	"exposure": 3, "data_sensitivity": 1, "blast_radius": 2,
	"remediation": "Name the account, service or organization that needs access as Principal instead of \"*\".",
}

principal := input.properties.Principal if startswith(input.resource_type, "AWS::")

principal := input.properties.principal if startswith(input.resource_type, "aws_")

path := ["Principal"] if startswith(input.resource_type, "AWS::")

path := ["principal"] if startswith(input.resource_type, "aws_")

deny contains {"msg": sprintf("%s %s grants access to the wildcard principal %q", [input.resource_type, input.name, principal]), "path": path} if {
	input.resource_type in metadata.resource_types
	is_string(principal)
	contains(principal, "*")
}
