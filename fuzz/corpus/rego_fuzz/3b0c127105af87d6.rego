package generated

p = __local0__ {
  all([], __local1__)
  __local0__ = __local1__
}
