# A privileged container has every capability and the host's devices: it is
# root on the node.
package custody.posture.kubernetes_privileged

import data.custody.posture.lib.kubernetes as k8s
import rego.v1

metadata := {
	"id": "CUSTODY_K8S_PRIVILEGED",
	"title": "Kubernetes containers should not be privileged",
	"severity": "HIGH",
	"resource_types": k8s.workload_kinds,
	"scope": "resource",
	"checkov": ["CKV_K8S_16"],
	"kics": [],
	"trivy": ["AVD-KSV-0017"],
	"cfn_guard": [],
	"cfn_nag": [],
	"follows": "all agree: securityContext.privileged true is reported per container",
	"exposure": 2, "data_sensitivity": 2, "blast_radius": 3,
	"remediation": "Remove securityContext.privileged (or set it to false) and grant only the capabilities the container needs.",
}

deny contains {"msg": sprintf("%s: container %s is privileged", [k8s.what, object.get(x.c, "name", "?")]), "path": array.concat(x.path, ["securityContext", "privileged"])} if {
	some x in k8s.containers
	x.c.securityContext.privileged == true
}
