package generated

p[__local0__] {
  crypto.sha1("lorem ipsum", __local1__)
  __local0__ = __local1__
}
