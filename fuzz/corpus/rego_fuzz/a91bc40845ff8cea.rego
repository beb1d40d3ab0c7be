package generated

p = __local0__ {
  json.filter({"a": {"b": {"c": 7, "d": 8}}, "e": 9}, {"a/b/c"}, __local1__)
  __local0__ = __local1__
}
