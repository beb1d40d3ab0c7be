#include "scan/risk.h"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace custody::scan {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// True when the (lower-cased) type names one of `needles` anywhere:
// "aws::s3::bucket" and "aws_s3_bucket" both contain "s3".
bool Mentions(const std::string& type, std::initializer_list<std::string_view> needles) {
  // Split into words at ':', '_', '/', '.' so "s3" does not match "xs3y".
  std::string t = Lower(type);
  for (char& c : t)
    if (c == ':' || c == '_' || c == '/' || c == '.') c = ' ';
  t = " " + t + " ";
  for (std::string_view n : needles) {
    if (t.find(" " + std::string(n) + " ") != std::string::npos) return true;
  }
  return false;
}

}  // namespace

double SeverityWeight(Severity s) {
  switch (s) {
    case Severity::kCritical: return 10;
    case Severity::kHigh: return 7;
    case Severity::kMedium: return 4;
    case Severity::kLow: return 2;
    case Severity::kInfo: return 0.5;
  }
  return 4;
}

double DefaultExposure(const std::string& type) {
  // Entry points that take requests from outside the account.
  if (Mentions(type, {"apigateway", "apigatewayv2", "api", "httpapi", "url", "cloudfront", "elasticloadbalancingv2",
                      "lb", "alb", "ingress", "appsync"}))
    return 2;
  if (Mentions(type, {"serverless", "lambda", "function", "service", "deployment", "pod"})) return 1.5;
  return 1;
}

double DefaultDataSensitivity(const std::string& type) {
  if (Mentions(type, {"secretsmanager", "secret", "kms", "ssm", "key"})) return 2;
  if (Mentions(type, {"s3", "dynamodb", "rds", "table", "bucket", "sqs", "sns", "kinesis", "logs", "cloudtrail",
                      "efs", "elasticache", "opensearchservice", "elasticsearch", "statemachine"}))
    return 1.5;
  return 1;
}

double DefaultBlastRadius(const std::string& type) {
  if (Mentions(type, {"iam", "role", "policy", "user", "group", "clusterrole", "clusterrolebinding", "managedpolicy"}))
    return 2;
  if (Mentions(type, {"permission", "kms", "cloudtrail", "wafv2", "waf"})) return 1.5;
  return 1;
}

RiskFactors RiskFor(const Check& check, Severity severity, const std::string& type) {
  RiskFactors f;
  f.severity = SeverityWeight(severity);
  f.exposure = check.exposure > 0 ? check.exposure : DefaultExposure(type);
  f.data_sensitivity = check.data_sensitivity > 0 ? check.data_sensitivity : DefaultDataSensitivity(type);
  f.blast_radius = check.blast_radius > 0 ? check.blast_radius : DefaultBlastRadius(type);
  return f;
}

}  // namespace custody::scan
