// Times as custody writes them: RFC 3339 in UTC with whole seconds
// ("2026-01-02T03:04:05Z"). Stateless; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace custody {

std::string FormatRfc3339(int64_t unix_seconds);
std::string NowRfc3339();
// Nanoseconds since the epoch now.
int64_t NowUnixNanos();

// Reads an RFC 3339 date-time ("2026-01-02T03:04:05Z", fractional seconds and
// numeric offsets such as "+02:00" allowed; 'T'/'t' and 'Z'/'z' either case)
// as nanoseconds since the epoch; nullopt when the text is not one, or is
// outside the years 1678-2261 that 64-bit nanoseconds hold.
std::optional<int64_t> ParseRfc3339(std::string_view text);

}  // namespace custody
