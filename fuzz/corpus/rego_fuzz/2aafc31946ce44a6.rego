package generated

p[x] {
  __local0__ = data.a[0]
  walk(__local0__, x)
}
