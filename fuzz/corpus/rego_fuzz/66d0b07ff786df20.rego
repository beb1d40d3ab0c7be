package generated

p[__local0__] {
  bits.negate(42, __local1__)
  __local0__ = __local1__
}
