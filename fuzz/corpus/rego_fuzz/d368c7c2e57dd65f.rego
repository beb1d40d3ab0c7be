package generated

p {
  [1, 2, 3] = [1, 3, 2]
}
