package generated

p = x {
  io.jwt.encode_sign_raw("{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}", "", "{\n\"kty\":\"oct\",\n\"k\":\"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow\"\n}", x)
}
