package generated

p = x {
  cast_set([1, 1, 1], x)
}
