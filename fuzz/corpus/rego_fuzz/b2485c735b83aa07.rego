package ex

foo["bar"] = 0

foo["baz"] = 1

foo["*"] = [1, 2, 3] {
  input.foo = 7
}

bar["x"]

bar["y"]

bar["*"] {
  input.foo = 7
}
