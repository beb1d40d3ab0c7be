package test

p {
  strings.any_prefix_match(input.strings, input.prefixes)
}
