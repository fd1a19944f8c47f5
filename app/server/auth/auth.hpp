// Bearer tokens: JWT signed with HS256 (libjwt). Claims: sub (user name),
// role ("user" | "admin"), iat, exp, iss = "simcore". The secret is 32 random
// bytes kept hex-encoded in DATA_DIR/jwt-secret (mode 0600), created on the
// first start, or read from a file given on the command line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace simcore::server {

struct Identity {
  std::string user;
  std::string role;  // "user" or "admin"
  bool admin() const { return role == "admin"; }
};

class TokenAuthority {
 public:
  // Reads the secret from `secretFile`, else from DATA_DIR/jwt-secret,
  // creating that file when it does not exist. Returns false with `err`.
  bool load(const std::string& dataDir, const std::string& secretFile, std::string& err);
  // A signed token valid for ttlSeconds.
  std::string issue(const std::string& user, const std::string& role, std::int64_t ttlSeconds) const;
  // The identity in a valid token; nullopt with `why` when the token is
  // malformed, not HS256, wrongly signed, expired or lacks sub/role.
  std::optional<Identity> verify(const std::string& token, std::string& why) const;

 private:
  std::string secret_;
};

bool validUserName(const std::string& name);

}  // namespace simcore::server
