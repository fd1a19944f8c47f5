#include "log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <cstdio>

namespace simcore::server {

std::string jsonEscape(std::string_view s) {
  std::string o;
  o.reserve(s.size() + 2);
  for (unsigned char c : s) {
    switch (c) {
      case '"': o += "\\\""; break;
      case '\\': o += "\\\\"; break;
      case '\n': o += "\\n"; break;
      case '\r': o += "\\r"; break;
      case '\t': o += "\\t"; break;
      default:
        if (c < 0x20) {
          char b[8];
          std::snprintf(b, sizeof b, "\\u%04x", c);
          o += b;
        } else {
          o += static_cast<char>(c);
        }
    }
  }
  return o;
}

Log& Log::str(std::string_view key, std::string_view value) {
  if (!body_.empty()) body_ += ',';
  body_ += '"' + jsonEscape(key) + "\":\"" + jsonEscape(value) + '"';
  return *this;
}

Log& Log::num(std::string_view key, double value) {
  if (!body_.empty()) body_ += ',';
  char b[64];
  if (std::isfinite(value)) std::snprintf(b, sizeof b, "%.6g", value);
  else std::snprintf(b, sizeof b, "null");
  body_ += '"' + jsonEscape(key) + "\":" + b;
  return *this;
}

Log& Log::num(std::string_view key, std::int64_t value) {
  if (!body_.empty()) body_ += ',';
  body_ += '"' + jsonEscape(key) + "\":" + std::to_string(value);
  return *this;
}

void Log::info() { spdlog::info("{}", body_); }
void Log::warn() { spdlog::warn("{}", body_); }
void Log::error() { spdlog::error("{}", body_); }

void initLogging() {
  auto logger = spdlog::stderr_logger_mt("simcore");
  logger->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})", spdlog::pattern_time_type::utc);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace simcore::server
