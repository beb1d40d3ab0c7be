package generated

p = __local0__ {
  object.union({}, {}, __local1__)
  __local0__ = __local1__
}
