package main
doc = [1, 2, 3]
patch = [{"op": "add", "path": "1.2", "value": "foo"}]
result = r {r = json.patch(doc, patch)}
