# Unless allowPrivilegeEscalation is false, a process can gain more
# privileges than its parent (setuid binaries, file capabilities).
package custody.posture.kubernetes_privilege_escalation

import data.custody.posture.lib.kubernetes as k8s
import rego.v1

metadata := {
	"id": "CUSTODY_K8S_PRIVILEGE_ESCALATION",
	"title": "Kubernetes containers should not allow privilege escalation",
	"severity": "MEDIUM",
	"resource_types": k8s.workload_kinds,
	"scope": "resource",
	"checkov": ["CKV_K8S_20"],
	"kics": [],
	"trivy": ["AVD-KSV-0001"],
	"cfn_guard": [],
	"cfn_nag": [],
	"follows": "checkov and Trivy: allowPrivilegeEscalation must be explicitly false (the default allows it)",
	"exposure": 2, "data_sensitivity": 1, "blast_radius": 2,
	"remediation": "Set securityContext.allowPrivilegeEscalation: false on every container.",
}

deny contains {"msg": sprintf("%s: container %s allows privilege escalation", [k8s.what, object.get(x.c, "name", "?")]), "path": array.concat(x.path, ["securityContext", "allowPrivilegeEscalation"])} if {
	some x in k8s.containers
	not object.get(x.c, ["securityContext", "allowPrivilegeEscalation"], true) == false
}
