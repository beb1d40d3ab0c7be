package generated

p = x {
  semver.compare("1.0.0", "2.0.0", __local0__)
  x = __local0__
}
