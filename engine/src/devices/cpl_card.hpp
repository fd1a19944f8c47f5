// A P card and its CPL model as both CPL methods read them (ngspice's,
// cpl_ngspice.cpp, and the modal one, cpl.cpp): N conductors from its 2N+2
// nodes, R L G C from the model's upper triangles, and the length (len= on
// the card, else the model's LENGTH, which ngspice requires anyway).
#pragma once

#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "devices/common.hpp"
#include "devices/cpl_fit.hpp"

namespace simcore::dev {

struct CplCard {
  int n = 0;                           // conductors
  std::array<cplfit::Matrix, 4> rlgc;  // per metre, n x n
  double len = 0;                      // m
};

inline Result<CplCard> readCplCard(const ir::Device& d, const ir::Model& m, const ParamValues& P) {
  auto fail = [&](const std::string& what) {
    return makeError(ErrorCode::Semantic, "CPL model '" + m.name + "' (line '" + d.name + "'): " + what, d.loc);
  };
  if (d.nodes.size() % 2 != 0 || d.nodes.size() < 4)
    return deviceError(d, "coupled lines '" + d.name + "' need 2N+2 nodes (N conductors and a reference at each end), not " +
                              std::to_string(d.nodes.size()));
  CplCard card;
  card.n = int(d.nodes.size() / 2) - 1;
  std::array<std::vector<double>, 4> given;
  std::array<const std::vector<double>*, 4> at{};
  const char* names[4] = {"r", "l", "g", "c"};
  for (std::size_t k = 0; k < 4; ++k)
    if (P.hasModel(names[k])) {
      given[k] = P.modelVector(names[k]);
      at[k] = &given[k];
    }
  if (std::string why = cplfit::rlgcMatrices(at, card.n, card.rlgc); !why.empty()) return fail(why);
  if (!P.hasModel("length")) return fail("LENGTH must be given (ngspice requires it in the model even with len= on the card)");
  card.len = P.hasInst("len") ? P.inst("len") : P.model("length");
  if (!(card.len > 0) || !std::isfinite(card.len)) return fail("the length must be positive");
  return card;
}

}  // namespace simcore::dev
