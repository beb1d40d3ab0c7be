package generated

p = __local0__ {
  net.cidr_contains_matches("1.1.1.0/24", "1.1.1.1", __local1__)
  __local0__ = __local1__
}
