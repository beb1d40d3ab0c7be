package testing

p := crypto.x509.parse_rsa_private_key("invalid")
