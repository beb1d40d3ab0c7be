package generated

p[x] {
  data.a[i] = x
}

p[y] {
  data.b[j] = y
}
