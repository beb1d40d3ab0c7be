package generated

p {
  not data.a[[0]]
}
