package x

p[a] {
    a := q
}

q[b] {
    b := 1
}
