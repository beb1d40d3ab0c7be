package generated

p = __local0__ {
  numbers.range(0, 0, __local1__)
  __local0__ = __local1__
}
