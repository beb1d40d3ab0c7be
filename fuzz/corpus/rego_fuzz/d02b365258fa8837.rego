package test

samepkg = y {
  data.test.foo("how do you do?", y)
}
