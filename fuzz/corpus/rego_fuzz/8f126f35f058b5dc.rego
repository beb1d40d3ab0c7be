package test

p = num {
  num := numbers.range_step(0, 10, 2)
}
