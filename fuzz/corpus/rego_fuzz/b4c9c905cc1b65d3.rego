package generated

certs = "foobar"

p = __local2__ {
  __local4__ = data.generated.certs
  crypto.x509.parse_certificates(__local4__, __local3__)
  __local0__ = __local3__
  __local2__ = [__local1__ | __local1__ = __local0__[_].Subject.CommonName]
}
