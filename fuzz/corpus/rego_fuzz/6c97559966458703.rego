package test

A := {
  "a": 5,
  "b": 7,
  "c": 15
}

B := {
  "a": 5,
}

AsubB := object.subset(A, B)
BsubA := object.subset(B, A)

test_result {
  AsubB     # B is a subset of A
  not BsubA # A is not a subset of B
}
