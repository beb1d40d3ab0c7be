package generated

p[__local0__] {
  bits.xor(42, 3, __local1__)
  __local0__ = __local1__
}
