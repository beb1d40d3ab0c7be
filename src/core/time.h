// Times as custody writes them: RFC 3339 in UTC with whole seconds
// ("2026-01-02T03:04:05Z"). Stateless; safe from any thread.
#pragma once

#include <cstdint>
#include <string>

namespace custody {

std::string FormatRfc3339(int64_t unix_seconds);
std::string NowRfc3339();

}  // namespace custody
