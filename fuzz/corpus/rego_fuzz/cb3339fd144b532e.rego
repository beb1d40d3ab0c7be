package ex

no_op {
  true
} else = false {
  true
}
