package x

p = __local0__ { # p should be defined (an empty object)
  true
  __local0__ = data.a.b
}
