# A table should say how it is billed: PAY_PER_REQUEST scales with traffic
# (and cost), PROVISIONED caps both.
package custody.posture.dynamodb_billing_mode

import data.custody.posture.lib.serverless as lib
import rego.v1

metadata := {
	"id": "CUSTODY_DYNAMODB_BILLING_MODE",
	"title": "DynamoDB tables should declare their billing mode",
	"severity": "INFO",
	"resource_types": ["AWS::DynamoDB::Table"],
	"scope": "resource",
	"checkov": [],
	"kics": [],
	"trivy": [],
	"cfn_guard": ["DYNAMODB_BILLING_MODE_RULE"],
	"cfn_nag": ["W73"],
	"follows": "cfn-guard and cfn_nag: BillingMode must be PROVISIONED or PAY_PER_REQUEST",
	"exposure": 1, "data_sensitivity": 1, "blast_radius": 1,
	"remediation": "Set BillingMode to PAY_PER_REQUEST or PROVISIONED (with ProvisionedThroughput).",
}

deny contains {"msg": sprintf("DynamoDB table %s does not declare BillingMode PROVISIONED or PAY_PER_REQUEST", [input.name]), "path": ["BillingMode"]} if {
	input.resource_type in metadata.resource_types
	mode := object.get(input.properties, "BillingMode", null)
	not mode in {"PROVISIONED", "PAY_PER_REQUEST"}
	not lib.intrinsic(mode)
}
