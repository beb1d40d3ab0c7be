package generated

p[__local0__] {
  trim_suffix("¡¡¡foo, bar!!!", ", bar!!!", __local1__)
  __local0__ = __local1__
}
