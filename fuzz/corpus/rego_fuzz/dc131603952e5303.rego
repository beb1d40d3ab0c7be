package generated

p[__local0__] {
  bits.and(50, 0, __local1__)
  __local0__ = __local1__
}
