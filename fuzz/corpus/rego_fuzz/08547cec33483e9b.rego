package test
p {
  contains("fireplace", "repl")
}
