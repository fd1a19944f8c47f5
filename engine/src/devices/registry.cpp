// The one list of device kinds. Adding a kind: one file with its DeviceGroup
// and its descriptor (a DeviceKind), one line here. (No self-registration
// through static initialisers: linkers drop those in static and wasm builds.)
#include "devices/descriptor.hpp"

namespace simcore::dev {

extern const DeviceKind kResistorKind, kCapacitorKind, kInductorKind, kMutualKind, kVoltageSourceKind,
    kCurrentSourceKind, kVcvsKind, kVccsKind, kCccsKind, kCcvsKind, kDiodeKind, kBjtKind, kMosfetKind,
    kVSwitchKind, kCSwitchKind, kPwlDiodeKind, kPwlMosKind, kPwlIgbtKind, kThyristorKind, kGainBlockKind,
    kSummerBlockKind, kIntBlockKind, kPiBlockKind, kLimitBlockKind, kHystBlockKind, kSxferBlockKind, kComparatorKind,
    kPwmKind, kSampleHoldKind, kBehaviouralVoltageKind, kBehaviouralCurrentKind;
// device models of vendor decks (issue 12)
extern const DeviceKind kVdmosKind, kJfetKind, kVSwitchSmoothKind, kISwitchSmoothKind, kTLineKind, kMos3Kind, kMos2Kind,
    kMos6Kind, kBsim1Kind, kBsim2Kind, kBsim3Kind, kBsim3NqsKind, kBsim4Kind, kMesfetKind, kMesaKind, kHfetKind, kVbicKind,
    kHicumKind, kB3soiKind, kB3soipdKind;
// transmission lines (issue 12 item 6)
extern const DeviceKind kLtraKind, kTxlKind, kCplKind, kUrcKind;
// XSPICE digital code models and bridges (issue 12)
extern const DeviceKind kDAndKind, kDNandKind, kDOrKind, kDNorKind, kDXorKind, kDXnorKind, kDBufferKind,
    kDInverterKind, kDDffKind, kDJkffKind, kDTffKind, kDSrffKind, kDDlatchKind, kDOscKind, kDPwmKind, kDPullupKind,
    kDPulldownKind, kAdcBridgeKind, kDacBridgeKind, kDSourceKind, kDFdivKind, kFileSourceKind, kDTristateKind,
    kDOpenCKind, kDOpenEKind, kDToRealKind, kRealGainKind, kRealDelayKind, kRealToVKind,
    kDStateKind, kDRamKind, kDSrLatchKind, kOneShotKind;
// XSPICE analog code models beyond the piecewise-linear blocks
extern const DeviceKind kMultBlockKind, kDivideBlockKind, kPwlBlockKind, kClimitBlockKind, kDdtBlockKind, kSlewBlockKind,
    kSineBlockKind, kTriangleBlockKind, kSquareBlockKind;
// XSPICE code models with conductance (%gd) ports
extern const DeviceKind kAswitchKind, kZenerKind, kIlimitKind, kCmeterKind, kLmeterKind, kPwltsKind, kCoreKind, kLcoupleKind, kDelayKind, kMultiPwlKind, kDLutKind, kDGenLutKind, kPswitchKind;
// ngspice's xtradev elements (potentiometer, memristor, the code-model capacitor and inductor)
// XSPICE's table code models
extern const DeviceKind kTable2dKind, kTable3dKind;
extern const DeviceKind kPotentiometerKind, kMemristorKind, kCmCapacitorKind, kCmInductorKind, kSiDiodeKind;
// LTspice's special functions (A cards with eight nodes and a built-in name)
extern const DeviceKind kLtGateKind, kLtSchmittKind, kLtFlopKind, kLtOtaKind, kLtModulatorKind, kLtSampleHoldKind;
// LTspice's switch (a SW model with ILIMIT, VSER, ...)
extern const DeviceKind kLtSwitchKind;
// CIDER's one-dimensional numerical devices
extern const DeviceKind kNumdKind, kNbjtKind, kNumosKind;

const std::vector<DeviceKind>& registry() {
  // Order matters only for set-up: kinds that own branch currents come before
  // kinds that refer to them in resolve() (which runs after every setup anyway).
  static const std::vector<DeviceKind> kinds = {
      kResistorKind, kCapacitorKind, kInductorKind, kMutualKind, kVoltageSourceKind,
      kCurrentSourceKind, kVcvsKind, kVccsKind, kCccsKind, kCcvsKind,
      kDiodeKind, kBjtKind, kMosfetKind, kVSwitchKind, kCSwitchKind, kLtSwitchKind,
      kPwlDiodeKind, kPwlMosKind, kPwlIgbtKind, kThyristorKind,
      // device models of vendor decks
      kVdmosKind, kJfetKind, kVSwitchSmoothKind, kISwitchSmoothKind, kTLineKind, kMos3Kind, kMos2Kind,
      kMos6Kind, kBsim1Kind, kBsim2Kind, kBsim3Kind, kBsim3NqsKind, kBsim4Kind, kMesfetKind, kMesaKind, kHfetKind, kVbicKind, kHicumKind, kB3soiKind, kB3soipdKind,
      kLtraKind, kTxlKind, kCplKind, kUrcKind,
      kNumdKind, kNbjtKind, kNumosKind,
      // control blocks (A cards), one kind per code model
      kGainBlockKind, kSummerBlockKind, kIntBlockKind, kPiBlockKind, kLimitBlockKind, kHystBlockKind,
      kSxferBlockKind, kComparatorKind, kPwmKind, kSampleHoldKind,
      // digital code models and the bridges (A cards)
      kDAndKind, kDNandKind, kDOrKind, kDNorKind, kDXorKind, kDXnorKind, kDBufferKind, kDInverterKind,
      kDDffKind, kDJkffKind, kDTffKind, kDSrffKind, kDDlatchKind, kDOscKind, kDPwmKind, kDPullupKind, kDPulldownKind,
      kAdcBridgeKind, kDacBridgeKind, kDSourceKind, kDFdivKind, kFileSourceKind, kDTristateKind, kDOpenCKind,
      kDOpenEKind, kDToRealKind, kRealGainKind, kRealDelayKind, kRealToVKind, kDStateKind,
      kDRamKind, kDSrLatchKind, kOneShotKind,
      kMultBlockKind, kDivideBlockKind, kPwlBlockKind, kClimitBlockKind, kDdtBlockKind, kSlewBlockKind,
      kSineBlockKind, kTriangleBlockKind, kSquareBlockKind,
      kAswitchKind, kZenerKind, kIlimitKind, kCmeterKind, kLmeterKind, kPwltsKind, kCoreKind, kLcoupleKind, kDelayKind, kMultiPwlKind, kDLutKind, kDGenLutKind, kPswitchKind,
      kPotentiometerKind, kMemristorKind, kCmCapacitorKind, kCmInductorKind, kSiDiodeKind,
      kTable2dKind, kTable3dKind,
      kLtGateKind, kLtSchmittKind, kLtFlopKind, kLtOtaKind, kLtModulatorKind, kLtSampleHoldKind,
      // behavioural sources (B; E F G H in their expression forms)
      kBehaviouralVoltageKind, kBehaviouralCurrentKind,
  };
  return kinds;
}

}  // namespace simcore::dev
