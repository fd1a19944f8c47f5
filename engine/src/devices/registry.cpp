// The one list of device kinds. Adding a kind: one file with a create
// function, one line here. (No self-registration through static
// initialisers: linkers drop those in static and wasm builds.)
#include "devices/device.hpp"

namespace simcore::dev {

std::unique_ptr<DeviceGroup> createResistors(std::vector<const ir::Device*>);
std::unique_ptr<DeviceGroup> createCapacitors(std::vector<const ir::Device*>);
std::unique_ptr<DeviceGroup> createInductors(std::vector<const ir::Device*>);
std::unique_ptr<DeviceGroup> createMutuals(std::vector<const ir::Device*>);
std::unique_ptr<DeviceGroup> createVoltageSources(std::vector<const ir::Device*>);
std::unique_ptr<DeviceGroup> createCurrentSources(std::vector<const ir::Device*>);
std::unique_ptr<DeviceGroup> createVcvs(std::vector<const ir::Device*>);
std::unique_ptr<DeviceGroup> createVccs(std::vector<const ir::Device*>);
std::unique_ptr<DeviceGroup> createCccs(std::vector<const ir::Device*>);
std::unique_ptr<DeviceGroup> createCcvs(std::vector<const ir::Device*>);
std::unique_ptr<DeviceGroup> createDiodes(std::vector<const ir::Device*>);
std::unique_ptr<DeviceGroup> createBjts(std::vector<const ir::Device*>);
std::unique_ptr<DeviceGroup> createMosfets(std::vector<const ir::Device*>);
std::unique_ptr<DeviceGroup> createVSwitches(std::vector<const ir::Device*>);
std::unique_ptr<DeviceGroup> createCSwitches(std::vector<const ir::Device*>);

const std::vector<DeviceKind>& registry() {
  // Order matters only for set-up: kinds that own branch currents come before
  // kinds that refer to them in resolve() (which runs after every setup anyway).
  static const std::vector<DeviceKind> kinds = {
      {'r', "resistor", createResistors},
      {'c', "capacitor", createCapacitors},
      {'l', "inductor", createInductors},
      {'k', "mutual inductance", createMutuals},
      {'v', "voltage source", createVoltageSources},
      {'i', "current source", createCurrentSources},
      {'e', "voltage-controlled voltage source", createVcvs},
      {'g', "voltage-controlled current source", createVccs},
      {'f', "current-controlled current source", createCccs},
      {'h', "current-controlled voltage source", createCcvs},
      {'d', "diode", createDiodes},
      {'q', "bipolar transistor", createBjts},
      {'m', "MOSFET", createMosfets},
      {'s', "voltage-controlled switch", createVSwitches},
      {'w', "current-controlled switch", createCSwitches},
  };
  return kinds;
}

const DeviceKind* findKind(char letter) {
  for (const auto& k : registry())
    if (k.letter == letter) return &k;
  return nullptr;
}

}  // namespace simcore::dev
