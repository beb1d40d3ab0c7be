package generated

p[x] {
  glob.match("*.github.com", ["."], "api.github.com", x)
}
