package generated

p = x {
  intersection({set(), {1, 2}}, x)
}
