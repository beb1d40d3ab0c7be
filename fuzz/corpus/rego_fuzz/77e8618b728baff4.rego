package test
req := {}
aws_config := {
  "aws_access_key": "MYAWSACCESSKEYGOESHERE",
  "aws_secret_access_key": "MYAWSSECRETACCESSKEYGOESHERE",
  "aws_session_token": "MYAWSSECURITYTOKENGOESHERE",
  "aws_service": "s3",
  "aws_region": "us-east-1",
}
expected := {
  "headers": {
    "Authorization": "AWS4-HMAC-SHA256 Credential=MYAWSACCESSKEYGOESHERE/20151228/us-east-1/s3/aws4_request,SignedHeaders=host;x-amz-content-sha256;x-amz-date,Signature=0047a7016c81e5c7f29cd522f97e911e04fc472fced0aee7916cbc287ad6c8e3",
    "host": "example.com",
    "x-amz-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "x-amz-date": "20151228T140825Z"
  },
  "method": "get",
  "url": "http://example.com"
}
p {
    providers.aws.sign_req(req, aws_config, 1451311705000000000) == expected
}
