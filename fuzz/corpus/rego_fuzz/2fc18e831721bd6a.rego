package generated

p = x {
  union(set(), x)
}
