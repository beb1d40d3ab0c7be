package testing
pem := "nope"
p := crypto.parse_private_keys(pem)
