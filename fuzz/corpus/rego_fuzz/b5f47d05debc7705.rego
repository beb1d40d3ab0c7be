package generated

p = x {
  urlquery.encode("", x)
}
