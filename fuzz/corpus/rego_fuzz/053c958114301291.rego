package generated

p {
  time.now_ns(t0)
  test.sleep("10ms")
  time.now_ns(t1)
  t0 == t1
}
