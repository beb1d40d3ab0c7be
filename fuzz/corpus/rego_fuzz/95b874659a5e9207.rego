package test

p[mac] {
  mac := crypto.hmac.sha1(input.message, input.key)
}
