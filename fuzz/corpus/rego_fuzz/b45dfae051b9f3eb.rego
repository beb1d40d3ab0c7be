package generated

p {
  re_match("^[a-z]+\\[[0-9]+\\]$", "foo[1]")
}
