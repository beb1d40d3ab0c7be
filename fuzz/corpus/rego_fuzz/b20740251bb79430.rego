package test
p = foo {
  [foo] = [x | x := 1]
}
