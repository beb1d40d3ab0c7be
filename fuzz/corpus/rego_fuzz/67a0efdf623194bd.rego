package test
o = ["1", "2"]
f(x) := o[_] == x
p { f("1") }
