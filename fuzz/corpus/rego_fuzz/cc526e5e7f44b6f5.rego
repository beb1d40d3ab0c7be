package generated

p = __local0__ {
  object.get({"a": "b"}, "a", "c", __local1__)
  __local0__ = __local1__
}
