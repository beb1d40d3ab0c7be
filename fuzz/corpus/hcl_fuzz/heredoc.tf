resource "aws_iam_policy" "p" {
  policy = <<-EOF
    {
      "Statement": [{"Resource": "${aws_s3_bucket.b.arn}", "Escaped": "$${x}"}]
    }
  EOF
  description = <<EOT
plain
EOT
}
