package b.c.d

p[x] {
  data.a[i] = x
  data.b.c.d.q[x]
}

q[x] {
  data.g[j][k] = x
}
