package generated

p = x {
  is_number(null, x)
}
