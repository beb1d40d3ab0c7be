package generated

p[x] {
  net.cidr_intersects("192.168.1.0/24", "192.168.2.0/24", x)
}
