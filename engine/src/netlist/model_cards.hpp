// How an element card of the circuit model (simcore/circuit_model.hpp) is laid
// out, shared by the reader (netlist -> model) and the writer (model -> netlist).
// The layout follows the card form of the letter's first device kind
// (devices/descriptor.hpp), so a kind added to the registry with an existing
// form needs nothing here; a new form reads and writes as Generic (nodes when
// the kind's node count is fixed, every other positional value in "args").
#pragma once

#include "devices/descriptor.hpp"

namespace simcore::model {

// The order an element's fields are written in, after its name:
//   TwoTerminal  nodes value model args params      (R C L)
//   Source       nodes value args params            (V I: value is the DC value)
//   Controlled   nodes refs value args params       (E G: 4 nodes; F H: 2 nodes, 1 ref)
//   Coupling     refs value args params             (K: two inductors)
//   ModelCard    nodes refs model value args params (D Q M S W)
//   CodeModel    ports model params                 (A)
//   Subckt       nodes model args params            (X: model is the sub-circuit)
//   Generic      nodes refs model value args params
enum class CardLayout { TwoTerminal, Source, Controlled, Coupling, ModelCard, CodeModel, Subckt, Generic };

inline CardLayout cardLayout(char letter) {
  if (letter == 'x') return CardLayout::Subckt;
  const dev::DeviceKind* k = dev::findKind(letter);
  if (!k) return CardLayout::Generic;
  switch (k->form) {
    case dev::CardForm::TwoTerminal: return CardLayout::TwoTerminal;
    case dev::CardForm::Source: return CardLayout::Source;
    case dev::CardForm::Controlled: return CardLayout::Controlled;
    case dev::CardForm::Coupling: return CardLayout::Coupling;
    case dev::CardForm::ModelCard: return CardLayout::ModelCard;
    case dev::CardForm::CodeModel: return CardLayout::CodeModel;
    default: return CardLayout::Generic;
  }
}

}  // namespace simcore::model
