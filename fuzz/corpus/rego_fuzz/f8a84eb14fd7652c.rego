package rules

p {
  time.now_ns(now)
}

q { p with data.x as 7 }
