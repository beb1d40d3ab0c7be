package generated
p = x {
  hex.encode("lorem ipsum", x)
}
