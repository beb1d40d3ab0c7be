package test

p := count([x | q[x]])

q[1]
q[1]
q[2]
