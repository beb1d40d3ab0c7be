package generated

p = x {
  net.cidr_is_valid("192.168.1.0/24", __local0__)
  x = __local0__
}
