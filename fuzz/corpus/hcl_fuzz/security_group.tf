resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port = 80
    to_port   = 80
  }
  dynamic "egress" {
    for_each = var.rules
    content {
      cidr_blocks = egress.value.cidrs
    }
  }
  count = var.enabled ? 1 : 0
}
