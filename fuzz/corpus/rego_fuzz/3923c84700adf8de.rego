package generated

p {
  data.deadbeef[i]
}
