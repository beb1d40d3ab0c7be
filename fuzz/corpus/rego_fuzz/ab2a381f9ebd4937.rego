package generated

p = __local0__ {
  any(set(), __local1__)
  __local0__ = __local1__
}
