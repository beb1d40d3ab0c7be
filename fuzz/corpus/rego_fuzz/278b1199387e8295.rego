package generated

p = x {
  type_name(null, x)
}
