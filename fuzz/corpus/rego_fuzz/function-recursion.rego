package p
f(x) := f(x)
p := f(1)
