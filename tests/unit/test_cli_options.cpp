// The command line of every subcommand (CLI11): --help on each prints to
// stdout and exits 0, bare `simcore` prints the usage to stderr and exits 2,
// usage errors exit 2 with the command named. Runs the built binary next to
// simcore_unit; serve/token/worker need libsimcore_server.so beside it.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace fs = std::filesystem;

namespace {

struct Outcome {
  int exitCode = -1;
  std::string out, err;
};

fs::path binDir() {
  std::error_code ec;
  return fs::read_symlink("/proc/self/exe", ec).parent_path();
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class CliOptions : public ::testing::Test {
 protected:
  void SetUp() override {
    bin_ = (binDir() / "simcore").string();
    ASSERT_TRUE(fs::exists(bin_)) << bin_;
    std::string tmpl = (fs::temp_directory_path() / "simcore_cliopt_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  // `simcore ARGS` (ARGS as shell words), with `env` prepended (VAR=value ...).
  Outcome simcore(const std::string& args, const std::string& env = "") {
    const fs::path so = dir_ / "out.txt", se = dir_ / "err.txt";
    std::string cmd = "env " + env + " timeout 60 '" + bin_ + "' " + args + " </dev/null >'" + so.string() +
                      "' 2>'" + se.string() + "'";
    int st = std::system(cmd.c_str());
    Outcome o;
    o.exitCode = (st != -1 && WIFEXITED(st)) ? WEXITSTATUS(st) : -1;
    o.out = slurp(so);
    o.err = slurp(se);
    return o;
  }
  bool haveServer() const { return fs::exists(binDir() / "libsimcore_server.so"); }

  std::string bin_;
  fs::path dir_;
};

TEST_F(CliOptions, BareSimcorePrintsUsageToStderrAndExitsTwo) {
  auto o = simcore("");
  EXPECT_EQ(o.exitCode, 2);
  EXPECT_TRUE(o.out.empty()) << o.out;
  EXPECT_NE(o.err.find("run"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("serve"), std::string::npos) << o.err;
}

TEST_F(CliOptions, TopLevelHelpAndVersionGoToStdout) {
  auto h = simcore("--help");
  EXPECT_EQ(h.exitCode, 0);
  EXPECT_NE(h.out.find("run"), std::string::npos) << h.out;
  EXPECT_NE(h.out.find("token"), std::string::npos) << h.out;
  EXPECT_TRUE(h.err.empty()) << h.err;
  auto v = simcore("--version");
  EXPECT_EQ(v.exitCode, 0);
  EXPECT_EQ(v.out, std::string("simcore ") + SIMCORE_VERSION + "\n");
  EXPECT_EQ(simcore("version").out, v.out);
  auto word = simcore("help");
  EXPECT_EQ(word.exitCode, 0);
  EXPECT_EQ(word.out, h.out);
}

TEST_F(CliOptions, RunHelpListsItsOptions) {
  auto o = simcore("run --help");
  EXPECT_EQ(o.exitCode, 0) << o.err;
  for (const char* opt : {"--out", "--format", "--save", "--interpolate", "--max-points", "--max-output", "--threads", "--stats", "--quiet"})
    EXPECT_NE(o.out.find(opt), std::string::npos) << opt << " missing from:\n" << o.out;
  EXPECT_TRUE(o.err.empty()) << o.err;
}

TEST_F(CliOptions, UsageErrorsNameTheCommandAndExitTwo) {
  auto unknown = simcore("frobnicate");
  EXPECT_EQ(unknown.exitCode, 2);
  EXPECT_NE(unknown.err.find("simcore: error: unknown command 'frobnicate'"), std::string::npos) << unknown.err;
  auto noNetlist = simcore("run");
  EXPECT_EQ(noNetlist.exitCode, 2);
  EXPECT_NE(noNetlist.err.find("simcore run: error: no netlist file given"), std::string::npos) << noNetlist.err;
  auto badNumber = simcore("run x.cir --max-points 0");
  EXPECT_EQ(badNumber.exitCode, 2);
  EXPECT_NE(badNumber.err.find("simcore run: error:"), std::string::npos) << badNumber.err;
  EXPECT_NE(badNumber.err.find("--max-points"), std::string::npos) << badNumber.err;
  auto missingValue = simcore("run x.cir --format");
  EXPECT_EQ(missingValue.exitCode, 2);
  EXPECT_NE(missingValue.err.find("--format"), std::string::npos) << missingValue.err;
  auto two = simcore("run a.cir b.cir");
  EXPECT_EQ(two.exitCode, 2);
  EXPECT_NE(two.err.find("only one netlist file"), std::string::npos) << two.err;
}

TEST_F(CliOptions, ServerCommandsHelpExitsZero) {
  if (!haveServer()) GTEST_SKIP() << "built without the server module";
  auto serve = simcore("serve --help");
  EXPECT_EQ(serve.exitCode, 0) << serve.err;
  for (const char* opt : {"--data-dir", "--http-port", "--grpc-port", "--config", "--limits-file", "--max-jobs-per-user",
                          "--max-memory-mb", "SIMCORE_HTTP_PORT"})
    EXPECT_NE(serve.out.find(opt), std::string::npos) << opt << " missing from:\n" << serve.out;
  auto token = simcore("token --help");
  EXPECT_EQ(token.exitCode, 0) << token.err;
  EXPECT_NE(token.out.find("--user"), std::string::npos) << token.out;
  auto worker = simcore("worker --help");
  EXPECT_EQ(worker.exitCode, 0) << worker.err;
  EXPECT_NE(worker.out.find("--job"), std::string::npos) << worker.out;
}

TEST_F(CliOptions, ServerUsageErrorsExitTwo) {
  if (!haveServer()) GTEST_SKIP() << "built without the server module";
  auto bogus = simcore("serve --bogus");
  EXPECT_EQ(bogus.exitCode, 2);
  EXPECT_NE(bogus.err.find("simcore serve: error: unknown option '--bogus'"), std::string::npos) << bogus.err;
  auto stray = simcore("token --user ann extra");
  EXPECT_EQ(stray.exitCode, 2);
  EXPECT_NE(stray.err.find("simcore token: error: unexpected argument 'extra'"), std::string::npos) << stray.err;
  auto port = simcore("serve --http-port 70000");
  EXPECT_EQ(port.exitCode, 2) << port.err;
  auto envPort = simcore("serve", "SIMCORE_HTTP_PORT=notaport");
  EXPECT_EQ(envPort.exitCode, 2) << envPort.err;
  EXPECT_NE(envPort.err.find("--http-port"), std::string::npos) << envPort.err;
  auto noUser = simcore("token --data-dir '" + (dir_ / "d").string() + "'");
  EXPECT_EQ(noUser.exitCode, 2);
  EXPECT_NE(noUser.err.find("--user"), std::string::npos) << noUser.err;
  auto badRole = simcore("token --data-dir '" + (dir_ / "d").string() + "' --user ann --role boss");
  EXPECT_EQ(badRole.exitCode, 2);
  // A config file with a key no option has, and one that is not TOML.
  std::ofstream(dir_ / "typo.toml") << "htp-port = 1\n";
  auto typo = simcore("serve --config '" + (dir_ / "typo.toml").string() + "'");
  EXPECT_EQ(typo.exitCode, 2);
  EXPECT_NE(typo.err.find("htp-port"), std::string::npos) << typo.err;
  std::ofstream(dir_ / "broken.toml") << "http-port = = 1\n";
  auto broken = simcore("serve --config '" + (dir_ / "broken.toml").string() + "'");
  EXPECT_EQ(broken.exitCode, 2);
  EXPECT_NE(broken.err.find("line 1"), std::string::npos) << broken.err;
}

TEST_F(CliOptions, TokenTakesTheDataDirFromTheEnvironment) {
  if (!haveServer()) GTEST_SKIP() << "built without the server module";
  const fs::path data = dir_ / "tok";
  auto o = simcore("token --user ann", "SIMCORE_DATA_DIR='" + data.string() + "'");
  ASSERT_EQ(o.exitCode, 0) << o.err;
  EXPECT_EQ(std::count(o.out.begin(), o.out.end(), '.'), 2) << "a JWT: " << o.out;
  EXPECT_TRUE(fs::exists(data / "jwt-secret"));
}

}  // namespace
