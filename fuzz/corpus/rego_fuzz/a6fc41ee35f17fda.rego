package test

p := object.union_n([{"foo": "bar"}])
