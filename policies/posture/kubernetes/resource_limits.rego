# A container without CPU and memory limits can starve every other pod on
# its node (and, with autoscaling, run up the bill).
package custody.posture.kubernetes_resource_limits

import data.custody.posture.lib.kubernetes as k8s
import rego.v1

metadata := {
	"id": "CUSTODY_K8S_RESOURCE_LIMITS",
	"title": "Kubernetes containers should set CPU and memory limits",
	"severity": "LOW",
	"resource_types": k8s.workload_kinds,
	"scope": "resource",
	"checkov": ["CKV_K8S_11", "CKV_K8S_13"],
	"kics": [],
	"trivy": ["AVD-KSV-0011", "AVD-KSV-0018"],
	"cfn_guard": [],
	"cfn_nag": [],
	"follows": "checkov and Trivy: resources.limits.cpu and resources.limits.memory must both be set, each reported on its own; Knative services are included (their limits bound each revision's pods)",
	"exposure": 1, "data_sensitivity": 1, "blast_radius": 2,
	"remediation": "Set resources.limits.cpu and resources.limits.memory (and matching requests) on every container.",
}

deny contains {"msg": sprintf("%s: container %s has no %s limit", [k8s.what, object.get(x.c, "name", "?"), r]), "path": array.concat(x.path, ["resources", "limits", r])} if {
	some x in k8s.containers
	not x.path[count(x.path) - 2] == "ephemeralContainers"
	some r in ["cpu", "memory"]
	object.get(x.c, ["resources", "limits", r], null) == null
}
