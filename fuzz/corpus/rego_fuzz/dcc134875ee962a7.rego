package generated

p = x {
  base64url.encode("hello", x)
}
