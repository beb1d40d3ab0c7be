package generated

documents = [
  `plainstring`,
  `{`,
  `{"json": "ok"}`,
]

p = [x | doc = documents[_]; json.is_valid(doc, x)]
