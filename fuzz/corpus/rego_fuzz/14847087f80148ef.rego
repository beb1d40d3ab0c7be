package generated

p[x] {
  __local0__ = [1, 2, 3]
  __local0__[x]
}
