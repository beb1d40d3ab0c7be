package test

schema := `{"type": "boolean"}`
p := json.verify_schema(schema)
