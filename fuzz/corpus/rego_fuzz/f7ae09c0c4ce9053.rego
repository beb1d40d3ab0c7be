package test

p[q].r := i { q := ["a", "b", "c"][i] }
