// PLECS semiconductor XML reader (engine/src/losses/plecs_xml.cpp): round trip
// of every table, the sign conventions of diodes and "with Diode" packages,
// the thermal chain, the corpus of broken files (tests/bad_plecs, expected
// messages in its expect.txt) and the losses="file.xml" model parameter.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "losses/plecs_xml.hpp"
#include "simcore/ir.hpp"

using namespace simcore;

namespace {

std::string join(const std::vector<double>& v) {
  std::ostringstream s;
  s.precision(17);
  for (std::size_t k = 0; k < v.size(); ++k) s << (k ? " " : "") << v[k];
  return s.str();
}

// A switching-loss element with raw (unscaled) values[it][iv][ii].
std::string energyXml(const char* tag, const std::vector<double>& cur, const std::vector<double>& volt,
                      const std::vector<double>& temp, const std::vector<double>& raw, double scale) {
  std::string x = std::string("    <") + tag + ">\n      <ComputationMethod>Table only</ComputationMethod>\n";
  x += "      <CurrentAxis>" + join(cur) + "</CurrentAxis>\n";
  x += "      <VoltageAxis>" + join(volt) + "</VoltageAxis>\n";
  x += "      <TemperatureAxis>" + join(temp) + "</TemperatureAxis>\n";
  x += "      <Energy scale=\"" + join({scale}) + "\">\n";
  std::size_t k = 0;
  for (std::size_t it = 0; it < temp.size(); ++it) {
    x += "        <Temperature>\n";
    for (std::size_t iv = 0; iv < volt.size(); ++iv) {
      std::vector<double> row(raw.begin() + long(k), raw.begin() + long(k + cur.size()));
      k += cur.size();
      x += "          <Voltage>" + join(row) + "</Voltage>\n";
    }
    x += "        </Temperature>\n";
  }
  x += "      </Energy>\n    </" + std::string(tag) + ">\n";
  return x;
}

std::string conductionXml(const std::vector<double>& cur, const std::vector<double>& temp,
                          const std::vector<double>& raw, double scale) {
  std::string x = "    <ConductionLoss>\n      <ComputationMethod>Table only</ComputationMethod>\n";
  x += "      <CurrentAxis>" + join(cur) + "</CurrentAxis>\n";
  x += "      <TemperatureAxis>" + join(temp) + "</TemperatureAxis>\n";
  x += "      <VoltageDrop scale=\"" + join({scale}) + "\">\n";
  for (std::size_t it = 0; it < temp.size(); ++it) {
    std::vector<double> row(raw.begin() + long(it * cur.size()), raw.begin() + long((it + 1) * cur.size()));
    x += "        <Temperature>" + join(row) + "</Temperature>\n";
  }
  x += "      </VoltageDrop>\n    </ConductionLoss>\n";
  return x;
}

std::string packageXml(const std::string& cls, const std::string& body, const std::string& thermal) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<SemiconductorLibrary xmlns=\"http://www.plexim.com/xml/semiconductors/\" version=\"1.1\">\n"
         "  <Package class=\"" + cls + "\" vendor=\"Acme\" partnumber=\"AX100\">\n"
         "  <Variables/>\n  <SemiconductorData type=\"" + cls + "\">\n" + body +
         "  </SemiconductorData>\n" + thermal + "  <Comment><Line>test data</Line></Comment>\n  </Package>\n"
         "</SemiconductorLibrary>\n";
}

std::vector<double> scaled(const std::vector<double>& v, double s) {
  std::vector<double> r;
  for (double x : v) r.push_back(x * s);
  return r;
}

void expectNear(const std::vector<double>& got, const std::vector<double>& want, const char* what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t k = 0; k < want.size(); ++k) EXPECT_DOUBLE_EQ(got[k], want[k]) << what << "[" << k << "]";
}

}  // namespace

TEST(PlecsXml, RoundTripEveryTableWithScaling) {
  const std::vector<double> cur = {0, 10, 20, 40}, volt = {0, 300, 600}, temp = {25, 125, 150};
  std::vector<double> eon, eoff;
  for (std::size_t k = 0; k < cur.size() * volt.size() * temp.size(); ++k) {
    eon.push_back(0.125 * double(k) + 0.5);
    eoff.push_back(0.0625 * double(k * k % 17) + 0.25);
  }
  const std::vector<double> ccur = {0, 5, 20, 50}, ctemp = {25, 150};
  const std::vector<double> drop = {0, 0.9, 1.4, 2.1, 0, 0.8, 1.6, 2.6};
  const std::string xml = packageXml(
      "IGBT",
      energyXml("TurnOnLoss", cur, volt, temp, eon, 0.001) + energyXml("TurnOffLoss", cur, volt, temp, eoff, 1e-6) +
          conductionXml(ccur, ctemp, drop, 1.0),
      "  <ThermalModel>\n    <Branch type=\"Foster\">\n      <RTauElement R=\"0.02\" Tau=\"1e-4\"/>\n"
      "      <RTauElement R=\"0.08\" Tau=\"0.003\"/>\n      <RTauElement R=\"0.12\" Tau=\"0.05\"/>\n"
      "    </Branch>\n  </ThermalModel>\n");
  auto r = losses::parsePlecsXml(xml, "ax100.xml");
  ASSERT_TRUE(r.ok()) << r.error().format();
  const ir::SemiconductorData& d = r.value();
  EXPECT_EQ(d.name, "AX100");
  EXPECT_EQ(d.file, "ax100.xml");
  EXPECT_EQ(d.deviceClass, "igbt");
  expectNear(d.turnOn.current, cur, "turnOn.current");
  expectNear(d.turnOn.voltage, volt, "turnOn.voltage");
  expectNear(d.turnOn.temperature, temp, "turnOn.temperature");
  expectNear(d.turnOn.values, scaled(eon, 0.001), "turnOn.values");
  expectNear(d.turnOff.values, scaled(eoff, 1e-6), "turnOff.values");
  expectNear(d.conduction.current, ccur, "conduction.current");
  expectNear(d.conduction.temperature, ctemp, "conduction.temperature");
  ASSERT_EQ(d.conduction.voltage.size(), 1u);
  expectNear(d.conduction.values, drop, "conduction.values");
  EXPECT_EQ(d.thermal.kind, ir::ThermalChain::Kind::Foster);
  expectNear(d.thermal.r, {0.02, 0.08, 0.12}, "thermal.r");
  expectNear(d.thermal.tau, {1e-4, 0.003, 0.05}, "thermal.tau");
  EXPECT_TRUE(d.diode.empty());
}

TEST(PlecsXml, WithDiodeSplitsTheNegativeCurrentHalf) {
  // MOSFET with Diode: the diode's switching losses at negative current, its
  // conduction drop at negative current (written negative).
  const std::vector<double> cur = {-20, -10, 0, 10, 20}, volt = {0, 400}, temp = {25};
  const std::vector<double> eon = {0, 0, 0, 0, 0, /*400 V*/ 7, 3, 0, 4, 9};
  const std::vector<double> eoff = {0, 0, 0, 0, 0, /*400 V*/ 5, 2, 0, 1, 2};
  const std::vector<double> drop = {-1.9, -1.2, 0, 0.4, 0.8};
  const std::string xml = packageXml("MOSFET with Diode",
                                     energyXml("TurnOnLoss", cur, volt, temp, eon, 1e-6) +
                                         energyXml("TurnOffLoss", cur, volt, temp, eoff, 1e-6) +
                                         conductionXml(cur, temp, drop, 1.0),
                                     "  <ThermalModel><Branch type=\"Cauer\"><RCElement R=\"0.5\" C=\"0.01\"/>"
                                     "</Branch></ThermalModel>\n");
  auto r = losses::parsePlecsXml(xml, "m.xml");
  ASSERT_TRUE(r.ok()) << r.error().format();
  const ir::SemiconductorData& d = r.value();
  EXPECT_EQ(d.deviceClass, "mosfet with diode");
  expectNear(d.turnOn.current, {0, 10, 20}, "switch current");
  expectNear(d.turnOn.values, scaled({0, 0, 0, 0, 4, 9}, 1e-6), "switch eon");
  expectNear(d.conduction.values, {0, 0.4, 0.8}, "switch drop");
  ASSERT_EQ(d.diode.size(), 1u);
  const ir::SemiconductorData& dd = d.diode[0];
  EXPECT_EQ(dd.deviceClass, "diode");
  expectNear(dd.turnOff.current, {0, 10, 20}, "diode current");
  expectNear(dd.turnOff.values, scaled({0, 0, 0, 0, 2, 5}, 1e-6), "diode err");
  expectNear(dd.conduction.values, {0, 1.2, 1.9}, "diode drop");
  EXPECT_EQ(d.thermal.kind, ir::ThermalChain::Kind::Cauer);
  expectNear(d.thermal.tau, {0.005}, "cauer tau = R*C");
  EXPECT_EQ(dd.thermal.r, d.thermal.r);
}

TEST(PlecsXml, DiodeRecoveryAtNegativeVoltageAndBarePackageRoot) {
  // A Diode's switching losses are given at negative (blocking) voltage; a
  // bare <Package> root (no library element) is read too; ISO-8859-1 text.
  const std::vector<double> cur = {0, 10, 30}, volt = {-600, -300, 0}, temp = {25, 150};
  const std::vector<double> err = {60, 80, 120, 30, 40, 60, 0, 0, 0, /*150*/ 90, 130, 180, 45, 65, 90, 0, 0, 0};
  std::string xml = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<!-- \xb5J -->\n"
                    "<Package class=\"Diode\" vendor=\"Acme\" partnumber=\"AD30\">\n<SemiconductorData type=\"Diode\">\n" +
                    energyXml("TurnOffLoss", cur, volt, temp, err, 1e-6) + "</SemiconductorData>\n</Package>\n";
  auto r = losses::parsePlecsXml(xml, "d.xml");
  ASSERT_TRUE(r.ok()) << r.error().format();
  const ir::SemiconductorData& d = r.value();
  EXPECT_TRUE(d.turnOn.empty());
  expectNear(d.turnOff.voltage, {0, 300, 600}, "|v| ascending");
  // values reordered with the voltage axis: (it, |v| ascending, i)
  expectNear(d.turnOff.values, scaled({0, 0, 0, 30, 40, 60, 60, 80, 120, 0, 0, 0, 45, 65, 90, 90, 130, 180}, 1e-6),
             "err");
  EXPECT_TRUE(d.thermal.empty());
}

TEST(PlecsXml, IdentityFormulaIsAccepted) {
  std::string t = energyXml("TurnOnLoss", {0, 10}, {400}, {25}, {0, 1}, 1e-3);
  t.replace(t.find("Table only"), 10, "Table and formula");
  t.replace(t.find("<CurrentAxis>"), 0, "<Formula> E </Formula>\n      ");
  auto r = losses::parsePlecsXml(packageXml("MOSFET", t, ""), "f.xml");
  ASSERT_TRUE(r.ok()) << r.error().format();
  expectNear(r.value().turnOn.values, {0, 1e-3}, "eon");
}

// ---- the corpus of broken files ------------------------------------------------

namespace {
std::string readText(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST(PlecsXml, BrokenFilesAreRejectedWithLocatedMessages) {
  const std::filesystem::path dir = std::filesystem::path(SIMCORE_SOURCE_DIR) / "tests" / "bad_plecs";
  std::istringstream manifest(readText(dir / "expect.txt"));
  std::string line;
  int checked = 0;
  std::vector<std::string> listed;
  while (std::getline(manifest, line)) {
    if (line.empty() || line[0] == '#') continue;
    // FILE LINE:COL: message substring
    std::istringstream ls(line);
    std::string file, pos;
    ls >> file >> pos;
    std::string want;
    std::getline(ls, want);
    want.erase(0, want.find_first_not_of(' '));
    const int wantLine = std::stoi(pos.substr(0, pos.find(':')));
    const int wantCol = std::stoi(pos.substr(pos.find(':') + 1));
    listed.push_back(file);
    auto r = losses::parsePlecsXml(readText(dir / file), file);
    ASSERT_FALSE(r.ok()) << file << " was accepted";
    const Error& e = r.error();
    EXPECT_EQ(e.loc.file, file);
    EXPECT_EQ(e.loc.line, wantLine) << file << ": " << e.format();
    EXPECT_EQ(e.loc.col, wantCol) << file << ": " << e.format();
    EXPECT_NE(e.message.find(want), std::string::npos) << file << ": " << e.format() << "\nexpected: " << want;
    EXPECT_TRUE(e.code == ErrorCode::Parse || e.code == ErrorCode::Semantic) << file;
    ++checked;
  }
  EXPECT_GE(checked, 15);
  // every file of the corpus has its expectation
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().extension() == ".xml")
      EXPECT_NE(std::find(listed.begin(), listed.end(), entry.path().filename().string()), listed.end())
          << entry.path().filename() << " has no line in expect.txt";
}

// ---- losses="file.xml" on a model -------------------------------------------------

namespace {

const std::string kMosXml = packageXml("MOSFET", energyXml("TurnOnLoss", {0, 10}, {0, 400}, {25}, {0, 0, 0, 50}, 1e-6) +
                                                     conductionXml({0, 10}, {25}, {0, 0.5}, 1.0), "");
const std::string kDiodeXml =
    packageXml("Diode", energyXml("TurnOffLoss", {0, 10}, {-400, 0}, {25}, {0, 20, 0, 0}, 1e-6), "");

struct Files {
  std::map<std::string, std::string> files;
  int reads = 0;
  ir::ParseOptions options() {
    ir::ParseOptions o;
    o.fileName = "top.cir";
    o.resolver = [this](std::string_view path, std::string_view) -> Result<ir::ResolvedFile> {
      auto it = files.find(std::string(path));
      if (it == files.end()) return makeError(ErrorCode::Semantic, "no such file");
      ++reads;
      return ir::ResolvedFile{it->first, it->second};
    };
    return o;
  }
};

}  // namespace

TEST(PlecsXmlModel, LossesParameterLinksTheModelToItsData) {
  Files fs;
  fs.files["mos.xml"] = kMosXml;
  fs.files["d.xml"] = kDiodeXml;
  const char* net =
      "losses\n"
      ".model sw1 pwlmos ron=10m losses=\"mos.xml\"\n"
      ".model sw2 pwlmos(ron=20m losses=\"mos.xml\")\n"
      ".model dd pwldiode losses=\"d.xml\" ron=1m\n"
      ".subckt leg a b g\n.model inner pwlmos losses=\"mos.xml\"\nS1 a b g b inner\n.ends\n"
      "V1 a 0 10\nVg g 0 1\nR1 a b 1\nS1 b 0 g 0 sw1\nS2 b 0 g 0 sw2\nD1 0 b dd\n"
      "X1 a c g leg\nX2 a e g leg\nR2 c 0 1\nR3 e 0 1\n.op\n.end\n";
  auto r = ir::parseNetlist(net, fs.options());
  ASSERT_TRUE(r.ok()) << r.error().format();
  const ir::Circuit& c = r.value();
  ASSERT_EQ(c.semiconductors.size(), 2u);  // one entry per file
  for (const ir::Model& m : c.models) {
    ASSERT_GE(m.semiconductor, 0) << m.name;
    const ir::SemiconductorData& d = c.semiconductors[std::size_t(m.semiconductor)];
    EXPECT_EQ(d.deviceClass, m.type == "pwldiode" ? "diode" : "mosfet") << m.name;
    for (const ir::Param& p : m.params) EXPECT_NE(p.name, "losses");
  }
  EXPECT_EQ(fs.reads, 2);  // resolved once per file as written
  EXPECT_EQ(c.semiconductors[0].name, "AX100");
  EXPECT_DOUBLE_EQ(c.semiconductors[0].turnOn.values.back(), 50e-6);
  // the circuit simulates as before: loss data does not touch the electrical model
}

TEST(PlecsXmlModel, Errors) {
  Files fs;
  fs.files["mos.xml"] = kMosXml;
  fs.files["d.xml"] = kDiodeXml;
  fs.files["bad.xml"] = "<?xml version=\"1.0\"?>\n<SemiconductorLibrary xmlns=\"http://www.plexim.com/xml/semiconductors/\">\n"
                        "<Package class=\"IGBT\">\n<SemiconductorData>\n<TurnOnLoss>\n<CurrentAxis>1 0</CurrentAxis>\n";
  struct Case {
    const char* card;
    const char* file;
    int line, col;
    const char* message;
  };
  const Case cases[] = {
      {".model m1 pwlmos losses=\"none.xml\"", "top.cir", 2, 25, "cannot read 'none.xml'"},
      {".model m1 pwlmos losses=\"d.xml\"", "top.cir", 2, 25, "describes a diode"},
      {".model m1 pwldiode losses=\"mos.xml\"", "top.cir", 2, 27, "needs a Diode description"},
      {".model m1 r losses=\"mos.xml\"", "top.cir", 2, 20, "not 'r'"},
      {".model m1 pwlmos losses={1}", "top.cir", 2, 25, "needs a file name"},
      {".model m1 pwlmos losses=\"\"", "top.cir", 2, 25, "empty file name"},
      {".model m1 pwlmos losses=\"bad.xml\"", "bad.xml", 6, 31, "malformed XML"},
  };
  for (const Case& k : cases) {
    const std::string net = std::string("t\n") + k.card + "\nR1 a 0 1\nV1 a 0 1\n.op\n.end\n";
    auto r = ir::parseNetlist(net, fs.options());
    ASSERT_FALSE(r.ok()) << k.card;
    EXPECT_EQ(r.error().loc.file, k.file) << k.card << ": " << r.error().format();
    EXPECT_EQ(r.error().loc.line, k.line) << k.card << ": " << r.error().format();
    EXPECT_EQ(r.error().loc.col, k.col) << k.card << ": " << r.error().format();
    EXPECT_NE(r.error().message.find(k.message), std::string::npos) << k.card << ": " << r.error().format();
  }
  ir::ParseOptions none;
  auto r = ir::parseNetlist("t\n.model m1 pwlmos losses=\"mos.xml\"\nR1 a 0 1\n.op\n", none);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("resolver"), std::string::npos) << r.error().format();
}
