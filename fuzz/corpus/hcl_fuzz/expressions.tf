locals {
  a = [for s in var.list : upper(s) if s != ""]
  b = {for k, v in var.map : k => v...}
  c = 1 + 2 * -3 >= 4 || !true && null == null
  d = aws_instance.web[*].id
  e = provider::aws::arn_parse("arn:aws:s3:::x")
  f = "%{ for x in var.xs ~}${x}%{ endfor }"
  g = merge(local.a, { "k" : 1, (var.k) = 2 }, var.rest...)
  h = list.0.name
}
