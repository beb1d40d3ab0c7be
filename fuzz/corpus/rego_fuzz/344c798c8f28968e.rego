package generated

p[x] {
  arr = [[1, 2], [1, null], [2, 2]]
  arr[_] = [x, 2]
}
