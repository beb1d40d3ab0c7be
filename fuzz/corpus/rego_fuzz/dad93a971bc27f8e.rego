package enum_errors.caller

p[x] = y {
  data.enum_errors.a[x] = y
}
