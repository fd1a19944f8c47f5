// Structured logs: one JSON object per line on stderr (spdlog; fields
// encoded with nlohmann-json), e.g.
//   {"ts":"2024-05-01T10:00:00.123Z","level":"info","event":"job.finished","job":"j_..","user":"ann",
//    "duration_ms":131,"outcome":"succeeded"}
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace simcore::server {

// Builds the fields of one line: Log("job.finished").str("job", id).num("rows", n).info();
class Log {
 public:
  explicit Log(std::string_view event) { str("event", event); }
  Log& str(std::string_view key, std::string_view value);
  Log& num(std::string_view key, double value);
  Log& num(std::string_view key, std::int64_t value);
  void info();
  void warn();
  void error();

 private:
  Log& field(std::string_view key, const std::string& jsonValue);
  std::string body_;  // the fields, JSON, without the braces
};

// Sets up the JSON-lines logger (UTC timestamps). Call once, before logging.
void initLogging();

}  // namespace simcore::server
