package generated

p = x {
  base64.encode("hello", x)
}
