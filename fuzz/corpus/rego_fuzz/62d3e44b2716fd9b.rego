package test

default p.q.r.f(x) := 100

p.q.r.f(x) = x {
  x == 2
}

foo {
  p.q.r.f(3) == 100
}
