# A hostPath volume exposes the node's file system to the pod: the container
# runtime socket, kubelet credentials, other pods' data.
package custody.posture.kubernetes_host_path

import data.custody.posture.lib.kubernetes as k8s
import rego.v1

metadata := {
	"id": "CUSTODY_K8S_HOST_PATH",
	"title": "Kubernetes workloads should not mount host paths",
	"severity": "HIGH",
	"resource_types": k8s.workload_kinds,
	"scope": "resource",
	"checkov": [],
	"kics": [],
	"trivy": ["AVD-KSV-0023"],
	"cfn_guard": [],
	"cfn_nag": [],
	"follows": "trivy (and the Pod Security baseline profile): any hostPath volume is reported",
	"exposure": 2, "data_sensitivity": 3, "blast_radius": 3,
	"remediation": "Replace the hostPath volume with a PersistentVolumeClaim, a ConfigMap/Secret, or an emptyDir; if a node agent truly needs it, mount it read-only and suppress with a reason.",
}

deny contains {"msg": sprintf("%s mounts the host path %v (volume %s)", [k8s.what, v.hostPath.path, object.get(v, "name", "?")]), "path": array.concat(k8s.pod_spec_path, ["volumes", i, "hostPath"])} if {
	some i, v in object.get(k8s.pod_spec, "volumes", [])
	is_object(v.hostPath)
}
