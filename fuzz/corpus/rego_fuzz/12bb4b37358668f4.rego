package generated

p {
  data.generated.q[1]
}

q[x] {
  data.a[i] = x
}
