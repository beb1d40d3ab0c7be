package generated

p = __local0__ {
  graph.reachable({}, {"a"}, __local1__)
  __local0__ = __local1__
}
