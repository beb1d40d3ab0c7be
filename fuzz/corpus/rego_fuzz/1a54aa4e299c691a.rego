package generated

p = x {
  __local0__ = data.ok
  rego.parse_module("x.rego", __local0__, module)
  x = module["package"].path[1].value
}
