package fixture

empty = {set()}

s = {[1, 2], [1, 3], {"foo": "bar"}, {1, 2}, [2, 7], [[1, 1], 4]}

r[x] {
  data.fixture.s[x]
}

a = [1, 2]

o = {"foo": "bar"}

foo = {"bar": 1}

p1[[1, 2]]

p1[[1, 3]]

p1[[2, 2]]
