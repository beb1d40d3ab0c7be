package generated

p {
  not true = false
}
