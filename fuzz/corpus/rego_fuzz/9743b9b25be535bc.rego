package indexing

f(val) {
  [_, _] = val
}

p {
  f([1, ["foo", "bar"]])
}
