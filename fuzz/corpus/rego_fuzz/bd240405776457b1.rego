package generated

p[x] {
  regex.find_all_string_submatch_n("a(x*)b", "-", -1, __local0__)
  x = __local0__
}
