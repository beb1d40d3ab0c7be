package generated

p[x] {
  glob.quote_meta("*.github.com", x)
}
