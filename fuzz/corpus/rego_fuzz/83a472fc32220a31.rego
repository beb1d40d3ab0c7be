package test

p = x {
      net.cidr_merge(["192.0.128.0/24"], x)
}
