package p
s := "unterminated
