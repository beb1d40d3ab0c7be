package generated

p = x {
  regex.split("^[a-z]+\\[[0-9]+\\]$", "", [x])
}
