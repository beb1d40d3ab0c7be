package generated

p = x {
  semver.is_valid("1.0.0", __local0__)
  x = __local0__
}
