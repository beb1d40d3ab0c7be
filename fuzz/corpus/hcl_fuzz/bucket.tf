variable "env" { default = "prod" }
locals {
  name = "${var.env}-logs"
}
resource "aws_s3_bucket" "logs" {
  #checkov:skip=CKV_AWS_18:log bucket
  bucket = local.name
  acl    = "private"
  tags = { Name = local.name, Owner = var.owner }
  versioning {
    enabled = true
  }
}
