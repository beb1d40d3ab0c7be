package generated

p[x] {
  regex.find_n("a.", "paranormal", -1, __local0__)
  x = __local0__
}
