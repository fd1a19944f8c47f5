#include "cli/module.hpp"

#include <dlfcn.h>
#include <unistd.h>

namespace simcore::cli {

void* moduleSymbol(const char* file, const char* symbol, std::string& err) {
  char self[4096];
  ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  std::string dir = ".";
  if (n > 0) {
    self[n] = 0;
    std::string p(self);
    dir = p.substr(0, p.rfind('/'));
  }
  const std::string path = dir + "/" + file;
  void* h = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char* why = ::dlerror();
    err = path + " (" + (why ? why : "cannot be loaded") + ")";
    return nullptr;
  }
  void* s = ::dlsym(h, symbol);
  if (!s) err = path + " has no " + symbol;
  return s;
}

}  // namespace simcore::cli
