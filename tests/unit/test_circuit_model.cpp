// The JSON circuit model (simcore/circuit_model.hpp): what a netlist becomes,
// the round trip netlist -> model -> netlist over every circuit of the
// repository and the conformance suite (the parsed circuits must be equal),
// and the documents of tests/model/cases.json (the schema's verdicts).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "simcore/circuit_model.hpp"
#include "simcore/io/model_library.hpp"
#include "simcore/ir.hpp"

namespace simcore {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

std::string readText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Json toJson(const std::string& netlist) {
  auto r = model::netlistToJson(netlist, {"t.cir"});
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().format());
  return r.ok() ? Json::parse(r.value()) : Json();
}

std::string toNetlist(const Json& doc) {
  auto r = model::jsonToNetlist(doc.dump());
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().format());
  return r.ok() ? r.value() : std::string();
}

TEST(CircuitModel, ElementsByTheirCardForm) {
  Json d = toJson(
      "t\n"
      "V1 in 0 DC 5 AC 1 PULSE(0 5 0 1n 1n 5u 10u)\n"
      "R1 in out {rval} tc1=0.01\n"
      "C1 out 0 1u ic=0\n"
      "D1 out 0 dmod 2 off\n"
      "Q1 c b e qmod\n"
      "Q2 c b e sub qmod 3\n"
      "E1 a 0 out 0 10\n"
      "F1 a 0 vsense 2\n"
      "K1 L1 L2 0.9\n"
      "X1 in out div params: r=2k\n"
      "A1 %vd(in out) [a b] pwm1\n");
  const Json& c = d["cards"];
  ASSERT_EQ(c.size(), 11u);
  EXPECT_EQ(c[0]["kind"], "v");
  EXPECT_EQ(c[0]["nodes"], Json::array({"in", "0"}));
  EXPECT_EQ(c[0]["value"], "5");
  EXPECT_EQ(c[0]["args"], Json::array({"AC", "1", "PULSE(0 5 0 1n 1n 5u 10u)"}));
  EXPECT_EQ(c[1]["value"], "{rval}");
  EXPECT_EQ(c[1]["params"], Json({{"tc1", "0.01"}}));
  EXPECT_EQ(c[2]["params"], Json({{"ic", "0"}}));
  EXPECT_EQ(c[3]["model"], "dmod");
  EXPECT_EQ(c[3]["value"], "2");
  EXPECT_EQ(c[3]["args"], Json::array({"off"}));
  EXPECT_EQ(c[4]["nodes"].size(), 3u);
  EXPECT_EQ(c[4]["model"], "qmod");
  EXPECT_EQ(c[5]["nodes"], Json::array({"c", "b", "e", "sub"}));
  EXPECT_EQ(c[5]["model"], "qmod");
  EXPECT_EQ(c[6]["nodes"].size(), 4u);
  EXPECT_EQ(c[6]["value"], "10");
  EXPECT_EQ(c[7]["refs"], Json::array({"vsense"}));
  EXPECT_EQ(c[8]["refs"], Json::array({"L1", "L2"}));
  EXPECT_EQ(c[8]["value"], "0.9");
  EXPECT_EQ(c[9]["model"], "div");
  EXPECT_EQ(c[9]["nodes"], Json::array({"in", "out"}));
  EXPECT_EQ(c[9]["params"], Json({{"r", "2k"}}));
  EXPECT_EQ(c[10]["ports"], Json::array({"%vd(in out)", "[a b]"}));
  EXPECT_EQ(c[10]["model"], "pwm1");
}

TEST(CircuitModel, CommentsStayWhereTheyWere) {
  const std::string text =
      "title line\n"
      "* first comment\n"
      "R1 a 0 1k ; trailing\n"
      ".subckt s p q\n"
      "* inside the subckt\n"
      "R2 p q 2k $ dollar comment\n"
      ".ends s\n"
      "* last\n"
      ".control\n"
      "* kept in the block\n"
      "run\n"
      ".endc\n"
      ".end\n"
      "* after .end: not part of the netlist\n";
  Json d = toJson(text);
  EXPECT_EQ(d["title"], "title line");
  const Json& c = d["cards"];
  ASSERT_EQ(c.size(), 5u);
  EXPECT_EQ(c[0], Json({{"type", "comment"}, {"text", " first comment"}}));
  EXPECT_EQ(c[1]["comment"], "trailing");
  EXPECT_EQ(c[2]["type"], "subckt");
  EXPECT_EQ(c[2]["cards"][0]["text"], " inside the subckt");
  EXPECT_EQ(c[2]["cards"][1]["comment"], "dollar comment");
  EXPECT_EQ(c[3]["text"], " last");
  EXPECT_EQ(c[4]["type"], "control");
  EXPECT_EQ(c[4]["lines"], Json::array({"* kept in the block", "run"}));
  // and back: every comment is in the netlist again, in the same order
  const std::string back = toNetlist(d);
  std::size_t at = 0;
  for (const char* piece : {"* first comment", "R1 a 0 1k ; trailing", ".subckt s p q", "* inside the subckt",
                            "R2 p q 2k ; dollar comment", ".ends s", "* last", ".control", "* kept in the block", ".endc", ".end"}) {
    const std::size_t hit = back.find(piece, at);
    ASSERT_NE(hit, std::string::npos) << piece << " missing or out of order in\n" << back;
    at = hit;
  }
  EXPECT_EQ(back.find("after .end"), std::string::npos);
  // converting the converted netlist again gives the same model
  EXPECT_EQ(toJson(back), d);
}

TEST(CircuitModel, CardsWithoutAStructuredFormKeepTheirText) {
  Json d = toJson(
      "t\n"
      ".param a=1k b={a*2}\n"
      ".model dmod D(is=1e-14 n=1.5)\n"
      ".model pwm1 pwm (carrier=triangle in_gain=[1 -1])\n"
      ".include \"models/diodes.lib\"\n"
      ".lib lib.sp tt\n"
      ".options reltol=1e-4 noopiter method=gear\n"
      ".tran 1u 1m 0 10n uic\n"
      ".ic v(out)=1 v(in)=0\n"
      ".meas tran vmax MAX v(out) FROM=1m\n"
      ".save v(out) i(v1)\n");
  const Json& c = d["cards"];
  ASSERT_EQ(c.size(), 10u);
  EXPECT_EQ(c[0]["params"], Json({{"a", "1k"}, {"b", "{a*2}"}}));
  EXPECT_EQ(c[1]["modelType"], "D");
  EXPECT_EQ(c[1]["params"], Json({{"is", "1e-14"}, {"n", "1.5"}}));
  EXPECT_EQ(c[2]["params"], Json({{"carrier", "triangle"}, {"in_gain", "[1 -1]"}}));
  EXPECT_EQ(c[3], Json({{"type", "include"}, {"path", "models/diodes.lib"}}));
  EXPECT_EQ(c[4]["section"], "tt");
  EXPECT_EQ(c[5]["flags"], Json::array({"noopiter"}));
  EXPECT_EQ(c[5]["params"], Json({{"reltol", "1e-4"}, {"method", "gear"}}));
  EXPECT_EQ(c[6]["kind"], "tran");
  EXPECT_EQ(c[6]["args"], Json::array({"1u", "1m", "0", "10n", "uic"}));
  EXPECT_EQ(c[7], Json({{"type", "dot"}, {"name", ".ic"}, {"text", "v(out)=1 v(in)=0"}}));
  EXPECT_EQ(c[8]["text"], "tran vmax MAX v(out) FROM=1m");
  EXPECT_EQ(toJson(toNetlist(d)), d);
}

TEST(CircuitModel, ErrorsCarryTheirPlace) {
  auto bad = model::netlistToJson("t\nR1 a b {1+\n", {"x.cir"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().loc.line, 2);
  auto ends = model::netlistToJson("t\nR1 a b 1\n.ends\n", {"x.cir"});
  ASSERT_FALSE(ends.ok());
  EXPECT_EQ(ends.error().loc.line, 3);
  auto open = model::netlistToJson("t\n.subckt s a\nR1 a 0 1\n", {"x.cir"});
  ASSERT_FALSE(open.ok());
  EXPECT_EQ(open.error().loc.line, 2);
  auto notJson = model::jsonToNetlist("{\"format\": ");
  ASSERT_FALSE(notJson.ok());
  EXPECT_NE(notJson.error().message.find("not JSON"), std::string::npos);
  Json d = toJson("t\nR1 a 0 1k\n");
  d["cards"][0]["kind"] = "c";
  auto kind = model::jsonToNetlist(d.dump());
  ASSERT_FALSE(kind.ok());
  EXPECT_EQ(kind.error().message.rfind("/cards/0/kind: ", 0), 0u) << kind.error().message;
}

TEST(CircuitModel, NumbersAreValuesToo) {
  Json d = toJson("t\nR1 a 0 1k\n");
  d["cards"][0]["value"] = 1500;
  d["cards"][0]["params"] = Json({{"tc1", 0.25}});
  EXPECT_NE(toNetlist(d).find("R1 a 0 1500 tc1=0.25"), std::string::npos);
}

// tests/model/cases.json: the same verdicts and JSON Pointers as the schema.
TEST(CircuitModel, SchemaCases) {
  const Json cases = Json::parse(readText(fs::path(SIMCORE_SOURCE_DIR) / "tests/model/cases.json"));
  ASSERT_GT(cases["cases"].size(), 10u);
  for (const Json& c : cases["cases"]) {
    auto r = model::jsonToNetlist(c["doc"].dump());
    if (c["valid"].get<bool>()) {
      EXPECT_TRUE(r.ok()) << c["name"] << ": " << (r.ok() ? "" : r.error().message);
    } else {
      ASSERT_FALSE(r.ok()) << c["name"] << " was accepted";
      const std::string path = c["path"].get<std::string>();
      EXPECT_EQ(r.error().message.rfind((path.empty() ? "/" : path) + ": ", 0), 0u)
          << c["name"] << ": " << r.error().message;
    }
  }
}

// Every element, model, parameter, analysis and option the two netlists give is the same.
void expectSameCircuit(const ir::Circuit& a, const ir::Circuit& b, const std::string& what) {
  EXPECT_EQ(a.title, b.title) << what;
  ASSERT_EQ(a.devices.size(), b.devices.size()) << what;
  auto sameParams = [&](const std::vector<ir::Param>& x, const std::vector<ir::Param>& y, const std::string& who) {
    ASSERT_EQ(x.size(), y.size()) << what << " " << who;
    for (std::size_t k = 0; k < x.size(); ++k) {
      EXPECT_EQ(x[k].name, y[k].name) << what << " " << who;
      EXPECT_EQ(x[k].value, y[k].value) << what << " " << who << " " << x[k].name;
      EXPECT_EQ(x[k].values, y[k].values) << what << " " << who << " " << x[k].name;
    }
  };
  for (std::size_t i = 0; i < a.devices.size(); ++i) {
    const ir::Device& x = a.devices[i];
    const ir::Device& y = b.devices[i];
    EXPECT_EQ(x.name, y.name) << what;
    EXPECT_EQ(x.nodes, y.nodes) << what << " " << x.name;
    EXPECT_EQ(x.refs, y.refs) << what << " " << x.name;
    EXPECT_EQ(x.value, y.value) << what << " " << x.name;
    EXPECT_EQ(x.model, y.model) << what << " " << x.name;
    EXPECT_EQ(x.ports, y.ports) << what << " " << x.name;
    sameParams(x.params, y.params, x.name);
    EXPECT_EQ(x.source.dc, y.source.dc) << what << " " << x.name;
    EXPECT_EQ(x.source.hasDc, y.source.hasDc) << what << " " << x.name;
    EXPECT_EQ(x.source.acMag, y.source.acMag) << what << " " << x.name;
    EXPECT_EQ(x.source.acPhaseDeg, y.source.acPhaseDeg) << what << " " << x.name;
    EXPECT_EQ(x.source.wave.kind, y.source.wave.kind) << what << " " << x.name;
    EXPECT_EQ(x.source.wave.args, y.source.wave.args) << what << " " << x.name;
    EXPECT_EQ(x.source.wave.pwlRepeat, y.source.wave.pwlRepeat) << what << " " << x.name;
    EXPECT_EQ(x.source.wave.pwlDelay, y.source.wave.pwlDelay) << what << " " << x.name;
  }
  ASSERT_EQ(a.models.size(), b.models.size()) << what;
  for (std::size_t i = 0; i < a.models.size(); ++i) {
    EXPECT_EQ(a.models[i].name, b.models[i].name) << what;
    EXPECT_EQ(a.models[i].type, b.models[i].type) << what;
    sameParams(a.models[i].params, b.models[i].params, a.models[i].name);
  }
  ASSERT_EQ(a.analyses.size(), b.analyses.size()) << what;
  for (std::size_t i = 0; i < a.analyses.size(); ++i) {
    const ir::Analysis& x = a.analyses[i];
    const ir::Analysis& y = b.analyses[i];
    EXPECT_EQ(x.kind, y.kind) << what;
    EXPECT_EQ(x.tstep, y.tstep) << what;
    EXPECT_EQ(x.tstop, y.tstop) << what;
    EXPECT_EQ(x.tstart, y.tstart) << what;
    EXPECT_EQ(x.tmax, y.tmax) << what;
    EXPECT_EQ(x.uic, y.uic) << what;
    EXPECT_EQ(x.fstart, y.fstart) << what;
    EXPECT_EQ(x.fstop, y.fstop) << what;
    EXPECT_EQ(x.acPoints, y.acPoints) << what;
    EXPECT_EQ(x.sweeps.size(), y.sweeps.size()) << what;
    EXPECT_EQ(x.period, y.period) << what;
  }
  EXPECT_EQ(a.options.reltol, b.options.reltol) << what;
  EXPECT_EQ(a.options.abstol, b.options.abstol) << what;
  EXPECT_EQ(a.options.method, b.options.method) << what;
  EXPECT_EQ(a.options.switching, b.options.switching) << what;
  EXPECT_EQ(a.options.temp, b.options.temp) << what;
  EXPECT_EQ(a.ic.size(), b.ic.size()) << what;
  EXPECT_EQ(a.saves.size(), b.saves.size()) << what;
  EXPECT_EQ(a.measures.size(), b.measures.size()) << what;
  EXPECT_EQ(a.thermal.size(), b.thermal.size()) << what;
  // A stray ')' is dropped (with a warning) when the original is read, so is a
  // POLY card's unclosed '(' and a line starting with '(' and the like, and a
  // .model's '(' that is never closed is read to the card's end (with a
  // warning): the model has none of them. A .control block left open is written
  // back closed by its .endc.
  auto kept = [](const std::vector<ir::Diagnostic>& w) {
    return std::count_if(w.begin(), w.end(), [](const ir::Diagnostic& d) {
      return d.message.find("stray ')'") == std::string::npos &&
             d.message.find("of .model is never closed") == std::string::npos &&
             d.message.find("' is never closed: ignored, as ngspice reads parentheses") == std::string::npos &&
             d.message.find("' read as a comment, as ngspice 39") == std::string::npos &&
             d.message.find("'.control' block is never closed") == std::string::npos;
    });
  };
  EXPECT_EQ(kept(a.warnings), kept(b.warnings)) << what;
}

// Every netlist of examples/, tests/compat/, tests/hard/ and the conformance
// suite: netlist -> model -> netlist parses to the same circuit.
TEST(CircuitModel, RoundTripEveryCircuit) {
  const fs::path src(SIMCORE_SOURCE_DIR);
  std::vector<fs::path> dirs = {src / "examples", src / "tests/compat", src / "tests/hard"};
  const char* suite = std::getenv("SIMCORE_CIRCUITS");
  dirs.push_back(suite ? fs::path(suite) : src / "../shared/circuits");
  const ir::IncludeResolver resolver = io::fileResolver(io::findModelLibrary(""));
  int checked = 0;
  for (const fs::path& dir : dirs) {
    if (!fs::is_directory(dir)) continue;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().extension() == ".cir") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
      const std::string text = readText(f);
      ir::ParseOptions po;
      po.fileName = f.string();
      po.resolver = resolver;
      auto original = ir::parseNetlist(text, po);
      auto json = model::netlistToJson(text, {f.string()});
      ASSERT_TRUE(json.ok()) << json.error().format();
      auto back = model::jsonToNetlist(json.value(), {f.string()});
      ASSERT_TRUE(back.ok()) << f << ": " << back.error().format();
      auto again = ir::parseNetlist(back.value(), po);
      ASSERT_EQ(original.ok(), again.ok()) << f << "\n" << (again.ok() ? "" : again.error().format()) << "\n" << back.value();
      if (original.ok()) expectSameCircuit(original.value(), again.value(), f.string());
      else EXPECT_EQ(original.error().message, again.error().message) << f;
      // the model of the converted netlist is the model itself (a fixed point)
      auto json2 = model::netlistToJson(back.value(), {f.string()});
      ASSERT_TRUE(json2.ok());
      EXPECT_EQ(Json::parse(json2.value())["cards"], Json::parse(json.value())["cards"]) << f;
      ++checked;
    }
  }
  EXPECT_GE(checked, 20);
}

}  // namespace
}  // namespace simcore
