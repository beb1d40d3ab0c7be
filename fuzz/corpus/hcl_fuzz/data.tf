# comment
/* block */ data "aws_ami" "x" { most_recent = true }
// trailing
