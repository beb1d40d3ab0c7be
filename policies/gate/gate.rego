# The built-in deployment gate (custody gate --policy builtin). Its settings
# are data.custody.config.gate: policies/gate/config.json, overridden key by
# key with --data FILE. The input is documented in docs/commands/gate.md;
# every attestation in it has already been verified and is from a signer
# trusted for its predicate type and this model.
package custody.gate

import rego.v1

config := data.custody.config.gate

default stage := ""

stage := input.context.stage

# Accepted attestations of one predicate type, by short name.
of_type(short) := [a | some a in input.attestations; a.predicateShortName == short]

short_id(a) := substring(a.id, 0, 12)

names := {
	"model-signature": "signature by a trusted authority",
	"slsa-provenance": "SLSA provenance",
	"vulns": "vulnerability scan",
	"bias": "bias report",
	"evaluation": "evaluation",
	"test-result": "test result",
	"dataset": "dataset manifest",
	"approval": "approval",
}

label(short) := names[short]

label(short) := short if not names[short]

# 1. Every required kind of attestation is present.
deny contains msg if {
	some short in config.require
	count(of_type(short)) == 0
	msg := sprintf("missing: no trusted %s for %s", [label(short), input.subject.name])
}

# 2. Provenance from an allowed builder.
deny contains msg if {
	some a in of_type("slsa-provenance")
	builder := object.get(a.predicate, ["runDetails", "builder", "id"], "")
	not builder in config.allowed_builders
	msg := sprintf("provenance %s was built by %q, which is not an allowed builder", [short_id(a), builder])
}

# 3. A recent vulnerability scan without critical findings.
scan_time(a) := time.parse_rfc3339_ns(a.predicate.metadata.scanFinishedOn)

# The newest scan; of two finished at the same time, the one with the
# greater id (so that there is always exactly one).
latest_scan := a if {
	scans := of_type("vulns")
	count(scans) > 0
	newest := max([[scan_time(s), s.id] | some s in scans])
	some a in scans
	[scan_time(a), a.id] == newest
}

deny contains msg if {
	a := latest_scan
	age_ns := input.now_ns - scan_time(a)
	age_ns > ((config.max_scan_age_hours * 3600) * 1000000000)
	msg := sprintf("stale: the newest vulnerability scan finished at %s, more than %v hours ago", [a.predicate.metadata.scanFinishedOn, config.max_scan_age_hours])
}

critical(finding) if {
	some s in finding.severity
	upper(sprintf("%v", [s.score])) == "CRITICAL"
}

critical(finding) if {
	some s in finding.severity
	is_number(s.score)
	s.score >= config.critical_cvss
}

critical(finding) if {
	some s in finding.severity
	is_string(s.score)
	regex.match(`^[0-9]+(\.[0-9]+)?$`, s.score)
	to_number(s.score) >= config.critical_cvss
}

deny contains msg if {
	a := latest_scan
	some finding in a.predicate.scanner.result
	critical(finding)
	msg := sprintf("the vulnerability scan %s found critical %s", [short_id(a), finding.id])
}

# 4. Every bias report passed.
deny contains msg if {
	some a in of_type("bias")
	a.predicate.passed != true
	failed := [attr.name | some attr in a.predicate.attributes; attr.passed != true]
	msg := sprintf("the bias report %s did not pass (attributes: %s)", [short_id(a), concat(", ", failed)])
}

# 5. Evaluation metrics at or above their thresholds (the newest evaluation
#    that reports each metric; ties broken by id).
metric_value(name) := v if {
	reports := [a | some a in of_type("evaluation"); a.predicate.metrics[name]]
	count(reports) > 0
	newest := max([[a.signedAt_ns, a.id] | some a in reports])
	some a in reports
	[a.signedAt_ns, a.id] == newest
	v := a.predicate.metrics[name]
}

deny contains msg if {
	count(of_type("evaluation")) > 0
	some name, minimum in config.min_metrics
	not metric_value(name)
	msg := sprintf("no evaluation reports %s (at least %v required)", [name, minimum])
}

deny contains msg if {
	some name, minimum in config.min_metrics
	v := metric_value(name)
	v < minimum
	msg := sprintf("evaluation %s = %v is below the required %v", [name, v, minimum])
}

# 6. Approvals for the target stage from distinct trusted signers.
deny contains msg if {
	needed := config.approvals[stage]
	approvers := {a.signer.keyid | some a in of_type("approval"); a.predicate.stage == stage}
	count(approvers) < needed
	msg := sprintf("%s needs %d approvals from distinct trusted signers, found %d", [stage, needed, count(approvers)])
}

# Attestations the gate set aside are worth a look even when the rest passes.
warn contains msg if {
	some r in input.rejected
	msg := sprintf("ignored a %s attestation from %s: %s", [r.predicateType, r.signer, r.reason])
}
