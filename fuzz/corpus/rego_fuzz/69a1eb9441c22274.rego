package generated

p = x {
  net.cidr_expand("172.16.100.255/30", x)
}
