package test

p[res] {
  res := crypto.hmac.equal(input.mac1, input.mac2)
}
