package generated

p = x {
  __local0__ = data.num
  regex.is_valid(__local0__, x)
}
