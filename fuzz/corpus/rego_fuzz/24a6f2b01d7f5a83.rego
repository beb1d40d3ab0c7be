package generated

p = x {
  s1 = {1, 2, 3, 4}
  s2 = {1, 3}
  __local0__ = s1 - s2
  x = __local0__
}
