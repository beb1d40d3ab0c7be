# The pod spec and containers of a Kubernetes workload, whatever its kind.
# Not a check. `properties` is the whole manifest; paths are from its root.
package custody.posture.lib.kubernetes

import rego.v1

workload_kinds := [
	"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob",
	"serving.knative.dev/Service",
]

pod_spec_path := ["spec"] if input.resource_type == "Pod"

pod_spec_path := ["spec", "jobTemplate", "spec", "template", "spec"] if input.resource_type == "CronJob"

pod_spec_path := ["spec", "template", "spec"] if not input.resource_type in {"Pod", "CronJob"}

pod_spec := object.get(input.properties, pod_spec_path, {})

# Every container (init and ephemeral ones included) with its path.
containers contains {"c": c, "path": array.concat(pod_spec_path, [kind, i])} if {
	some kind in ["containers", "initContainers", "ephemeralContainers"]
	some i, c in object.get(pod_spec, kind, [])
	is_object(c)
}

# A container's effective security context value: its own, else the pod's.
effective(c, key) := c.securityContext[key] if {
	is_object(c.securityContext)
	key in object.keys(c.securityContext)
}

effective(c, key) := pod_spec.securityContext[key] if {
	not key in object.keys(object.get(c, "securityContext", {}))
	is_object(pod_spec.securityContext)
	key in object.keys(pod_spec.securityContext)
}

what := sprintf("%s %s", [input.resource_type, input.name])
