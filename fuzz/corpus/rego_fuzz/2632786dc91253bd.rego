package generated

p[x] {
  __local0__ = data.b
  count(__local0__, x)
}
