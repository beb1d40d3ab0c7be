package generated

p[y] {
  data.a[i] = x
  __local0__ = i * x
  y = __local0__
}
