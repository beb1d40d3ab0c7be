package test

p = x {
  x := net.lookup_ip_addr("10.0.0.0")
}
