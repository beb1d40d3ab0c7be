package generated

p[__local0__] {
  crypto.md5("lorem ipsum", __local1__)
  __local0__ = __local1__
}
