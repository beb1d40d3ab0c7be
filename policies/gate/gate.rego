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
	"drift": "data drift report",
	"dataset-screen": "training-data screen",
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

# The newest attestation of a type by its predicate's computedOn (ties
# broken by id).
computed(a) := time.parse_rfc3339_ns(a.predicate.computedOn)

newest(short) := a if {
	found := of_type(short)
	count(found) > 0
	top := max([[computed(x), x.id] | some x in found])
	some a in found
	[computed(a), a.id] == top
}

# 7. The model's input data has not drifted: the newest drift report decides.
deny contains msg if {
	config.deny_on_drift
	a := newest("drift")
	a.predicate.dataset_drift
	drifted := [c.column | some c in a.predicate.columns; c.drifted]
	msg := sprintf("data drift: %d of %d input columns drifted (%s) in %s at %s; retrain and re-attest", [a.predicate.drifted_columns, a.predicate.number_of_columns, concat(", ", drifted), short_id(a), a.predicate.computedOn])
}

# 8. The training data passed its poisoning screen (the newest screen).
deny contains msg if {
	a := newest("dataset-screen")
	a.predicate.rows > 0
	share := a.predicate.flagged_rows / a.predicate.rows
	share > config.dataset_screen.max_outlier_share
	msg := sprintf("training data: %d of %d rows are outliers (share %.3f > %v) in screen %s", [a.predicate.flagged_rows, a.predicate.rows, share, config.dataset_screen.max_outlier_share, short_id(a)])
}

deny contains msg if {
	a := newest("dataset-screen")
	a.predicate.rows > 0
	flips := a.predicate.label_flips.count
	flips / a.predicate.rows > config.dataset_screen.max_label_flip_share
	msg := sprintf("training data: %d rows carry a label most of their neighbours disagree with (more than %v of %d) in screen %s", [flips, config.dataset_screen.max_label_flip_share, a.predicate.rows, short_id(a)])
}

deny contains msg if {
	a := newest("dataset-screen")
	a.predicate.label_shift.shifted
	msg := sprintf("training data: the label distribution shifted against the reference (p = %v) in screen %s", [a.predicate.label_shift.pvalue, short_id(a)])
}

# Attestations the gate set aside are worth a look even when the rest passes.
warn contains msg if {
	some r in input.rejected
	msg := sprintf("ignored a %s attestation from %s: %s", [r.predicateType, r.signer, r.reason])
}
