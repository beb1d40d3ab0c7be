package generated

p = __local0__ {
  object.filter({"a": {"b": {"c": 7, "d": 8}}, "e": 9}, {"a"}, __local1__)
  __local0__ = __local1__
}
