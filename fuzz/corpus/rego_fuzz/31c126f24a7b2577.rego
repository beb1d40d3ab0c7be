package generated

p[x] {
  strings.replace_n({"<": "&lt;", ">": "&gt;"}, "This is <b>HTML</b>!", __local0__)
  x = __local0__
}
