package test
p {
    units.parse_bytes("8kb") > units.parse_bytes("7kb")
}
