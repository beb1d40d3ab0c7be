# A tag can be moved to another image at any time; only a digest names the
# exact image that was reviewed, scanned and signed.
package custody.posture.kubernetes_image_digest

import data.custody.posture.lib.kubernetes as k8s
import rego.v1

metadata := {
	"id": "CUSTODY_K8S_IMAGE_DIGEST",
	"title": "Kubernetes container images should be pinned by digest",
	"severity": "LOW",
	"resource_types": k8s.workload_kinds,
	"scope": "resource",
	"checkov": ["CKV_K8S_43"],
	"kics": [],
	"trivy": [],
	"cfn_guard": [],
	"cfn_nag": [],
	"follows": "checkov: the image reference must contain @sha256:",
	"exposure": 1, "data_sensitivity": 1, "blast_radius": 2,
	"remediation": "Reference the image as name@sha256:<digest> (tools such as crane digest or kustomize's images.digest resolve it).",
}

deny contains {"msg": sprintf("%s: container %s uses image %v, not pinned by digest", [k8s.what, object.get(x.c, "name", "?"), object.get(x.c, "image", "")]), "path": array.concat(x.path, ["image"])} if {
	some x in k8s.containers
	img := object.get(x.c, "image", "")
	is_string(img)
	not contains(img, "@sha256:")
}
