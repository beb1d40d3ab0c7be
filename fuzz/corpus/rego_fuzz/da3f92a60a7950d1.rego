package generated

p = x {
  cast_array([1, 2, 3], x)
}
