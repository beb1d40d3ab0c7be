package p
x := "ÿ"
