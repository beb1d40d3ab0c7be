package test

p = 7 {
  data.foo == q
}

q = input.baz
