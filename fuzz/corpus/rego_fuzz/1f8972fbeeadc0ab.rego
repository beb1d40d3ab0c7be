package generated

p[__local0__] {
  trim_space(" \t\n foo, bar \n\t\r\n", __local1__)
  __local0__ = __local1__
}
