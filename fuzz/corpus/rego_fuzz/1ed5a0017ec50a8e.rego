package test

p = x {
  x = sprintf("%s", [123456789123456789123])
}
