package generated

p[x] {
  net.cidr_overlap("192.168.1.0/24", "192.168.1.67", x)
}
