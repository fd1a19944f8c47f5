// Helpers the netlist unit tests share: parse a netlist given as text (file
// name "t.cir"), expect it to parse or to fail, look into messages; run it
// with the results discarded.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "simcore/ir.hpp"
#include "simcore/simulate.hpp"

namespace simcore::testutil {

inline Result<ir::Circuit> parse(const std::string& text) {
  ir::ParseOptions o;
  o.fileName = "t.cir";
  return ir::parseNetlist(text, o);
}

// The circuit; a test failure (with the error) when the text does not parse.
inline ir::Circuit ok(const std::string& text) {
  auto r = parse(text);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().format());
  return r.ok() ? std::move(r).value() : ir::Circuit{};
}

// The error; a test failure when the text parses.
inline Error err(const std::string& text) {
  auto r = parse(text);
  EXPECT_FALSE(r.ok()) << "expected an error for:\n" << text;
  return r.ok() ? Error{} : r.error();
}

inline bool contains(const std::string& s, const std::string& sub) { return s.find(sub) != std::string::npos; }

// How many of the circuit's warnings hold `sub`.
inline int countWarnings(const ir::Circuit& c, const std::string& sub) {
  int n = 0;
  for (const auto& w : c.warnings) n += contains(w.message, sub) ? 1 : 0;
  return n;
}

// The device of that (flattened) name; a test failure when there is none.
inline const ir::Device& device(const ir::Circuit& c, const std::string& name) {
  for (const auto& d : c.devices)
    if (d.name == name) return d;
  ADD_FAILURE() << "no device " << name;
  static ir::Device none;
  return none;
}

// Discards every result (a run whose statistics or script output is what is looked at).
class NullSink final : public SampleSink {
 public:
  void begin(const AnalysisHeader&) override {}
  void chunk(const Chunk&) override {}
  void end(const AnalysisSummary&) override {}
};

// simulate() of the text into a NullSink.
inline Result<RunStats> simulateText(const std::string& text) {
  NullSink sink;
  return simulate(text, {}, sink);
}

}  // namespace simcore::testutil
