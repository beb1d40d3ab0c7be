#include "cli/output.h"

#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <iostream>

#include "core/time.h"

namespace custody::cli {

Json CertificateJson(const Certificate& cert) {
  return {{"subject", cert.Subject()},
          {"issuer", cert.Issuer()},
          {"fingerprint_sha256", cert.Fingerprint()},
          {"not_before", FormatRfc3339(cert.NotBefore())},
          {"not_after", FormatRfc3339(cert.NotAfter())}};
}

int ReportError(const Error& error, const Options& options) {
  const char* kind = error.kind() == ErrorKind::kVerification ? "verification" : "input";
  if (options.json()) {
    PrintJson({{"ok", false}, {"error", {{"kind", kind}, {"message", error.message()}}}});
  }
  std::cerr << "custody: " << (error.kind() == ErrorKind::kVerification ? "verification failed: " : "error: ")
            << error.message() << "\n";
  return ExitCodeFor(error.kind());
}

void PrintJson(const Json& value) {
  std::cout << value.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
}

bool StdoutIsTerminal() {
  static const bool tty = ::isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr;
  return tty;
}

namespace {
std::string Wrap(const char* code, const std::string& text) {
  return StdoutIsTerminal() ? std::string("\033[") + code + "m" + text + "\033[0m" : text;
}
}  // namespace

std::string Green(const std::string& text) { return Wrap("32", text); }
std::string Red(const std::string& text) { return Wrap("31", text); }
std::string Bold(const std::string& text) { return Wrap("1", text); }

std::string Count(uint64_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

std::string HumanBytes(uint64_t bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1000 && u < 4) {
    v /= 1000;
    ++u;
  }
  char buf[32];
  if (u == 0) {
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  } else {
    std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
  }
  return buf;
}

std::string ShortestText(double v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return {buf, r.ptr};
}

std::string FixedText(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

}  // namespace custody::cli
