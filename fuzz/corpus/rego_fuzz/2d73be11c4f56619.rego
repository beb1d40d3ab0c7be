package test
import future.keywords.every

p {
  every x in [] { x != x }
}
