package test
import future.keywords.and

p if {
  true and true
}
