// Command-line parsing shared by every subcommand (CLI11): the same exit
// codes and message shapes for `simcore run`, `serve`, `token` and `worker`.
//
//   --help / --version    printed to stdout, exit 0
//   a usage error         "simcore CMD: error: MESSAGE" and a hint on stderr, exit 2
#pragma once

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace simcore::cli {

inline constexpr int kExitUsage = 2;

// Prints a usage error for `command` ("run", "serve", ...; empty for the
// top level) and returns kExitUsage.
inline int usageError(const std::string& command, const std::string& message) {
  const std::string who = command.empty() ? "simcore" : "simcore " + command;
  std::fprintf(stderr, "%s: error: %s\ntry '%s --help'\n", who.c_str(), message.c_str(), who.c_str());
  return kExitUsage;
}

// Parses `args` (without the program and command names) into `app`. Returns
// nullopt when the command should run, else the exit code after --help (0,
// the help on stdout) or a usage error (kExitUsage, the message on stderr).
inline std::optional<int> parseCommand(CLI::App& app, const std::string& command, std::vector<std::string> args) {
  std::reverse(args.begin(), args.end());  // CLI11 takes the arguments last first
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    std::fputs(app.help().c_str(), stdout);
    return 0;
  } catch (const CLI::CallForAllHelp& e) {
    std::fputs(app.help("", CLI::AppFormatMode::All).c_str(), stdout);
    return 0;
  } catch (const CLI::CallForVersion& e) {
    std::printf("%s\n", e.what());
    return 0;
  } catch (const CLI::ExtrasError& e) {
    // Named like `simcore run` names them: "unknown option '--x'".
    const std::vector<std::string> rest = app.remaining();
    if (!rest.empty() && rest.front().size() > 1 && rest.front()[0] == '-')
      return usageError(command, "unknown option '" + rest.front() + "'");
    if (!rest.empty()) return usageError(command, "unexpected argument '" + rest.front() + "'");
    return usageError(command, e.what());
  } catch (const CLI::ParseError& e) {
    return usageError(command, e.what());
  }
  return std::nullopt;
}

}  // namespace simcore::cli
