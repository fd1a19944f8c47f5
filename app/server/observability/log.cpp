#include "observability/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

namespace simcore::server {

namespace {

// A JSON text of `v`; text that is not UTF-8 gets U+FFFD for its bad bytes
// instead of failing the log line.
std::string dumpJson(const nlohmann::json& v) { return v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

}  // namespace

Log& Log::field(std::string_view key, const std::string& jsonValue) {
  if (!body_.empty()) body_ += ',';
  body_ += dumpJson(std::string(key)) + ":" + jsonValue;
  return *this;
}

Log& Log::str(std::string_view key, std::string_view value) { return field(key, dumpJson(std::string(value))); }

Log& Log::num(std::string_view key, double value) {
  // nlohmann writes non-finite numbers as null
  return field(key, dumpJson(value));
}

Log& Log::num(std::string_view key, std::int64_t value) { return field(key, dumpJson(value)); }

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
