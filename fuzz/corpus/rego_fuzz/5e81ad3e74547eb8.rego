package generated

p[__local0__] {
  trim("¡¡¡foo, bar!!!", "!¡", __local1__)
  __local0__ = __local1__
}
