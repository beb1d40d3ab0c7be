// How commands talk to people and scripts: text on a terminal, JSON with
// --format json, errors as one line on stderr (and a JSON object on stdout in
// JSON mode), and exit codes 0 success / 1 verification failed / 2 usage or
// input error. Used from the main thread only.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "core/json.h"
#include "crypto/certificate.h"

namespace custody::cli {

struct Options {
  std::string format = "text";  // "text" or "json"
  bool json() const { return format == "json"; }
  bool quiet = false;
  size_t threads = 0;
};

// Prints the error and returns the exit code for it.
int ReportError(const Error& error, const Options& options);
void PrintJson(const Json& value);

// True if stdout is a terminal (for colour).
bool StdoutIsTerminal();
// Wraps `text` in an ANSI colour when stdout is a terminal.
std::string Green(const std::string& text);
std::string Red(const std::string& text);
std::string Bold(const std::string& text);

// {"subject", "issuer", "fingerprint_sha256", "not_before", "not_after"}, times in RFC 3339.
Json CertificateJson(const Certificate& cert);

// "1 file", "3 files": `n` and the noun, plural unless n == 1.
std::string Count(uint64_t n, const std::string& noun);

// "4.2 MB", "1.0 GB", "512 B".
std::string HumanBytes(uint64_t bytes);

// The shortest text that reads back as the same double ("0.1", "1e-07").
std::string ShortestText(double v);
// `v` with `digits` digits after the point ("%.*f").
std::string FixedText(double v, int digits);

}  // namespace custody::cli
