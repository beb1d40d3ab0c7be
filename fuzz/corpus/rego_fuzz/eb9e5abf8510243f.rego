package generated

p = __local0__ {
  object.remove({"a": 1, "b": {"c": 3}}, {"a"}, __local1__)
  __local0__ = __local1__
}
