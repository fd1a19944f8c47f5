#include "auth/auth.hpp"

#include <fcntl.h>
#include <jwt.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

namespace simcore::server {

namespace {

bool randomHex(std::size_t bytes, std::string& out) {
  int fd = ::open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  std::string raw(bytes, '\0');
  std::size_t got = 0;
  while (got < bytes) {
    ssize_t r = ::read(fd, raw.data() + got, bytes - got);
    if (r <= 0) {
      if (r < 0 && errno == EINTR) continue;
      ::close(fd);
      return false;
    }
    got += static_cast<std::size_t>(r);
  }
  ::close(fd);
  static const char* hex = "0123456789abcdef";
  out.clear();
  for (unsigned char c : raw) {
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return true;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

bool validUserName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == '@')) return false;
  return true;
}

bool TokenAuthority::load(const std::string& dataDir, const std::string& secretFile, std::string& err) {
  std::string path = secretFile.empty() ? dataDir + "/jwt-secret" : secretFile;
  std::ifstream in(path);
  if (in) {
    std::stringstream ss;
    ss << in.rdbuf();
    secret_ = trim(ss.str());
    if (secret_.size() < 32) {
      err = path + ": the secret is shorter than 32 characters";
      return false;
    }
    return true;
  }
  if (!secretFile.empty()) {
    err = "cannot read the secret file " + path + ": " + std::strerror(errno);
    return false;
  }
  if (!randomHex(32, secret_)) {
    err = "cannot read /dev/urandom";
    return false;
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    err = "cannot create " + path + ": " + std::strerror(errno);
    return false;
  }
  std::string line = secret_ + "\n";
  bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ::close(fd);
  if (!ok) {
    err = "cannot write " + path;
    return false;
  }
  return true;
}

std::string TokenAuthority::issue(const std::string& user, const std::string& role, std::int64_t ttlSeconds) const {
  jwt_t* j = nullptr;
  if (jwt_new(&j) != 0) return {};
  long now = static_cast<long>(std::time(nullptr));
  jwt_add_grant(j, "iss", "simcore");
  jwt_add_grant(j, "sub", user.c_str());
  jwt_add_grant(j, "role", role.c_str());
  jwt_add_grant_int(j, "iat", now);
  jwt_add_grant_int(j, "exp", now + static_cast<long>(ttlSeconds));
  jwt_set_alg(j, JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(secret_.data()),
              static_cast<int>(secret_.size()));
  char* s = jwt_encode_str(j);
  std::string out = s ? s : "";
  std::free(s);
  jwt_free(j);
  return out;
}

std::optional<Identity> TokenAuthority::verify(const std::string& token, std::string& why) const {
  // libjwt accepts alg "none" when no key is given; we always give the key,
  // and then also insist on HS256 so a token cannot pick its own algorithm.
  jwt_t* j = nullptr;
  if (jwt_decode(&j, token.c_str(), reinterpret_cast<const unsigned char*>(secret_.data()),
                 static_cast<int>(secret_.size())) != 0 ||
      !j) {
    why = "the token is malformed or its signature does not match";
    return std::nullopt;
  }
  std::optional<Identity> out;
  const char* sub = jwt_get_grant(j, "sub");
  const char* role = jwt_get_grant(j, "role");
  errno = 0;
  long exp = jwt_get_grant_int(j, "exp");
  bool hasExp = errno == 0;
  if (jwt_get_alg(j) != JWT_ALG_HS256) {
    why = "the token is not signed with HS256";
  } else if (!sub || !validUserName(sub)) {
    why = "the token has no valid subject";
  } else if (!role || (std::strcmp(role, "user") != 0 && std::strcmp(role, "admin") != 0)) {
    why = "the token's role must be user or admin";
  } else if (!hasExp || exp < static_cast<long>(std::time(nullptr))) {
    why = "the token has expired";
  } else {
    out = Identity{sub, role};
  }
  jwt_free(j);
  return out;
}

}  // namespace simcore::server
