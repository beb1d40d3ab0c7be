package generated

p {
  0 != 1
  data.a[i] = x
  x != 2
}
