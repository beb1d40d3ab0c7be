package test

template_string := `{{.test}}`

template_vars := {`test`: `hello world`}

p := strings.render_template(template_string, template_vars)
