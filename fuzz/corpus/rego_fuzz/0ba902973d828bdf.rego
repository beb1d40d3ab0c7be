package test
p := crypto.x509.parse_keypair(input.cert, input.key)["Certificate"][0]
