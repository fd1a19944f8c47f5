// `simcore convert` (docs/interop.md) through the built binary next to
// simcore_unit: both directions, stdin/stdout and -o, the default direction,
// errors with their place and exit status 2, and `simcore run MODEL.json`.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

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

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class CliConvert : public ::testing::Test {
 protected:
  void SetUp() override {
    std::error_code ec;
    bin_ = (fs::read_symlink("/proc/self/exe", ec).parent_path() / "simcore").string();
    ASSERT_TRUE(fs::exists(bin_)) << bin_;
    std::string tmpl = (fs::temp_directory_path() / "simcore_convert_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  void write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name, std::ios::binary) << text; }
  // `simcore ARGS` in the scratch folder; `input` on stdin.
  Outcome simcore(const std::string& args, const std::string& input = "") {
    write("stdin.txt", input);
    const std::string cmd = "cd '" + dir_.string() + "' && timeout 60 '" + bin_ + "' " + args +
                            " <stdin.txt >out.txt 2>err.txt";
    const int st = std::system(cmd.c_str());
    Outcome o;
    o.exitCode = (st != -1 && WIFEXITED(st)) ? WEXITSTATUS(st) : -1;
    o.out = slurp(dir_ / "out.txt");
    o.err = slurp(dir_ / "err.txt");
    return o;
  }

  std::string bin_;
  fs::path dir_;
};

const char* kRc =
    "rc divider\n"
    "* the source\n"
    "V1 in 0 2\n"
    "R1 in out {ra} ; upper\n"
    "R2 out 0 1k\n"
    ".param ra=1k\n"
    ".op\n"
    ".end\n";

TEST_F(CliConvert, BothDirectionsAndTheDefault) {
  write("rc.cir", kRc);
  auto j = simcore("convert rc.cir --to json -o rc.json");
  ASSERT_EQ(j.exitCode, 0) << j.err;
  const std::string model = slurp(dir_ / "rc.json");
  EXPECT_NE(model.find("\"format\": \"simcore.circuit\""), std::string::npos) << model;
  EXPECT_NE(model.find("\"comment\": \"upper\""), std::string::npos) << model;
  auto s = simcore("convert rc.json");  // default: the other format, to stdout
  ASSERT_EQ(s.exitCode, 0) << s.err;
  EXPECT_NE(s.out.find("* the source\nV1 in 0 2\nR1 in out {ra} ; upper\n"), std::string::npos) << s.out;
  auto fromStdin = simcore("convert -", kRc);
  ASSERT_EQ(fromStdin.exitCode, 0) << fromStdin.err;
  EXPECT_EQ(fromStdin.out, model);
  // the model runs as its netlist
  auto a = simcore("run rc.cir --out a --quiet");
  auto b = simcore("run rc.json --out b --quiet");
  ASSERT_EQ(a.exitCode, 0) << a.err;
  ASSERT_EQ(b.exitCode, 0) << b.err;
  EXPECT_EQ(slurp(dir_ / "a" / "rc.op.csv"), slurp(dir_ / "b" / "rc.op.csv"));
}

TEST_F(CliConvert, ErrorsNameTheirPlaceAndExitTwo) {
  write("bad.cir", "t\nR1 a 0 {1+\n.end\n");
  auto lex = simcore("convert bad.cir");
  EXPECT_EQ(lex.exitCode, 2);
  EXPECT_NE(lex.err.find("bad.cir:2:"), std::string::npos) << lex.err;
  write("bad.json", R"({"format": "simcore.circuit", "version": 1, "title": "t", "cards": [{"type": "resistor"}]})");
  auto schema = simcore("convert bad.json --to spice");
  EXPECT_EQ(schema.exitCode, 2);
  EXPECT_NE(schema.err.find("bad.json: error: /cards/0/type: unknown card type \"resistor\""), std::string::npos)
      << schema.err;
  auto run = simcore("run bad.json");
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_NE(run.err.find("/cards/0/type"), std::string::npos) << run.err;
  EXPECT_EQ(simcore("convert bad.json --to json").exitCode, 2);  // already JSON
  auto usage = simcore("convert bad.cir --to kicad");
  EXPECT_EQ(usage.exitCode, 2);
  EXPECT_NE(usage.err.find("simcore convert: error: --to must be json or spice"), std::string::npos) << usage.err;
  EXPECT_EQ(simcore("convert missing.cir").exitCode, 2);
}

}  // namespace
