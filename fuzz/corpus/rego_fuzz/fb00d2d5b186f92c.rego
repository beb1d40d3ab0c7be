package test

c := 3 {
   false
} else := 4 {
   true
}
