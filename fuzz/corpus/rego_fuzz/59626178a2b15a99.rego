package generated

p[x] {
  regex.template_match("urn:foo:{.*}", "urn:foo:bar:baz", "{", "}", x)
}
