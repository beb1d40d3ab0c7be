package generated

p = {"a": [x, y]} {
  x = 1
  y = 2
}
