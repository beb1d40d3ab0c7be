package generated

p[k] = v {
  data.b[k] = v
}
