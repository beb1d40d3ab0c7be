package generated

p = x {
  cast_null(null, x)
}
