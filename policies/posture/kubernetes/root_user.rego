# A container running as root turns any escape or mounted-volume bug into
# root on the node's files.
package custody.posture.kubernetes_root_user

import data.custody.posture.lib.kubernetes as k8s
import rego.v1

metadata := {
	"id": "CUSTODY_K8S_ROOT_USER",
	"title": "Kubernetes containers should not run as root",
	"severity": "MEDIUM",
	"resource_types": k8s.workload_kinds,
	"scope": "resource",
	"checkov": ["CKV_K8S_23"],
	"kics": [],
	"trivy": ["AVD-KSV-0012"],
	"cfn_guard": [],
	"cfn_nag": [],
	"follows": "checkov: runAsNonRoot true or a non-zero runAsUser (container or pod level) is required; runAsUser 0 is always reported",
	"exposure": 2, "data_sensitivity": 2, "blast_radius": 2,
	"remediation": "Set securityContext.runAsNonRoot: true and a non-zero runAsUser (pod or container level), and build the image with a non-root USER.",
}

non_root(c) if k8s.effective(c, "runAsNonRoot") == true

non_root(c) if {
	uid := k8s.effective(c, "runAsUser")
	is_number(uid)
	uid > 0
}

deny contains {"msg": sprintf("%s: container %s may run as root (no runAsNonRoot: true or non-zero runAsUser)", [k8s.what, object.get(x.c, "name", "?")]), "path": array.concat(x.path, ["securityContext", "runAsNonRoot"])} if {
	some x in k8s.containers
	not non_root(x.c)
	not k8s.effective(x.c, "runAsUser") == 0
}

deny contains {"msg": sprintf("%s: container %s runs as root (runAsUser 0)", [k8s.what, object.get(x.c, "name", "?")]), "path": array.concat(x.path, ["securityContext", "runAsUser"])} if {
	some x in k8s.containers
	k8s.effective(x.c, "runAsUser") == 0
}
