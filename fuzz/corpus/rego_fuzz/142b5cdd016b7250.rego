package generated

p[__local0__] {
  bits.or(7, 9, __local1__)
  __local0__ = __local1__
}
