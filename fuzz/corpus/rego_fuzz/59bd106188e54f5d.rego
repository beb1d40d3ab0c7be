package generated

p[i] {
  xs = [x | x = data.a[_]]
  __local0__ = xs[i]
  __local0__ > 1
}
