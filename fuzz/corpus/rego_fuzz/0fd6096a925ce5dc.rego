package generated

p[__local0__] {
  bits.rsh(8, 3, __local1__)
  __local0__ = __local1__
}
