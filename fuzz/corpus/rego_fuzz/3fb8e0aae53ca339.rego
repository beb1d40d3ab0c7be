package generated

p {
  object.filter({"a": 1, [[7]]: 2}, {[[7]]}, __local1__)
  __local0__ = __local1__
  __local0__ = {[[7]]: 2}
}
