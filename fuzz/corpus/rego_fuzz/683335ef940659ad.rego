package test

p[mac] {
  mac := crypto.hmac.sha512(input.message, input.key)
}
