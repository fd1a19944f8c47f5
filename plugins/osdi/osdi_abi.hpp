// The parts of the OSDI interface (Open Source Device Interface, the binary
// interface of compiled Verilog-A models that OpenVAF writes) that simcore's
// bridge reads. Versions 0.3 to 0.5 share this layout; later versions append
// fields to the descriptor, whose stride the library exports
// (OSDI_DESCRIPTOR_SIZE). Written from the interface's published layout; the
// offsets below are checked against it at compile time.
#pragma once

#include <cstddef>
#include <cstdint>

namespace simcore::osdi {

constexpr std::uint32_t kNone = 0xffffffffu;  // "no node" (ground) / "no offset"

// parameter flags
constexpr std::uint32_t kTypeMask = 3, kTypeReal = 0, kTypeInt = 1, kTypeStr = 2;
constexpr std::uint32_t kKindMask = 3u << 30, kKindModel = 0, kKindInstance = 1u << 30, kKindOpvar = 2u << 30;
// access flags
constexpr std::uint32_t kAccessSet = 1, kAccessInstance = 4;
// Jacobian entry flags
constexpr std::uint32_t kEntryResist = 4, kEntryReact = 8;
// eval flags
constexpr std::uint32_t kCalcResistResidual = 1, kCalcReactResidual = 2, kCalcResistJacobian = 4,
                        kCalcReactJacobian = 8, kCalcNoise = 16, kCalcOp = 32, kAnalysisNoise = 1024,
                        kAnalysisDc = 2048, kAnalysisAc = 4096,
                        kAnalysisTran = 8192, kAnalysisStatic = 32768;
// eval results
constexpr std::uint32_t kEvalFatal = 2;
// log levels
constexpr std::uint32_t kLogLevelMask = 7, kLogWarn = 3, kLogErr = 4, kLogFatal = 5, kLogFormatError = 16;
// setup errors
constexpr std::uint32_t kInitOutOfBounds = 1;

struct SimParas {
  char** names;  // null-terminated, with vals
  double* vals;
  char** names_str;  // null-terminated, with vals_str
  char** vals_str;
};

struct SimInfo {
  SimParas paras;
  double abstime;
  double* prev_solve;  // indexed by the instance's node mapping
  double* prev_state;
  double* next_state;
  std::uint32_t flags;
};

struct InitError {
  std::uint32_t code;
  std::uint32_t parameter_id;  // (a union of one member)
};

struct InitInfo {
  std::uint32_t flags;
  std::uint32_t num_errors;
  InitError* errors;  // allocated by the model (malloc)
};

struct NodePair {
  std::uint32_t node_1;
  std::uint32_t node_2;
};

struct JacobianEntry {
  NodePair nodes;               // (equation, unknown)
  std::uint32_t react_ptr_off;  // where the instance holds a pointer for the reactive part; kNone: none
  std::uint32_t flags;
};

struct Node {
  char* name;
  char* units;
  char* residual_units;
  std::uint32_t resist_residual_off;
  std::uint32_t react_residual_off;
  std::uint32_t resist_limit_rhs_off;
  std::uint32_t react_limit_rhs_off;
  bool is_flow;
};

struct ParamOpvar {
  char** name;  // name[0], then num_alias aliases
  std::uint32_t num_alias;
  char* description;
  char* units;
  std::uint32_t flags;
  std::uint32_t len;  // > 0: an array parameter
};

struct NoiseSource {
  char* name;
  NodePair nodes;
};

struct Descriptor {
  char* name;
  std::uint32_t num_nodes;
  std::uint32_t num_terminals;
  Node* nodes;
  std::uint32_t num_jacobian_entries;
  JacobianEntry* jacobian_entries;
  std::uint32_t num_collapsible;
  NodePair* collapsible;
  std::uint32_t collapsed_offset;  // bool per collapsible pair, in the instance
  NoiseSource* noise_sources;
  std::uint32_t num_noise_src;
  std::uint32_t num_params;
  std::uint32_t num_instance_params;
  std::uint32_t num_opvars;
  ParamOpvar* param_opvar;
  std::uint32_t node_mapping_offset;         // uint32 per node, in the instance
  std::uint32_t jacobian_ptr_resist_offset;  // double* per Jacobian entry, in the instance
  std::uint32_t num_states;
  std::uint32_t state_idx_off;  // uint32 per state, in the instance
  std::uint32_t bound_step_offset;
  std::uint32_t instance_size;
  std::uint32_t model_size;

  void* (*access)(void* inst, void* model, std::uint32_t id, std::uint32_t flags);
  void (*setup_model)(void* handle, void* model, SimParas* sim_params, InitInfo* res);
  void (*setup_instance)(void* handle, void* inst, void* model, double temperature, std::uint32_t num_terminals,
                         SimParas* sim_params, InitInfo* res);
  std::uint32_t (*eval)(void* handle, void* inst, const void* model, const SimInfo* info);
  // 0.3 has a fifth argument (ln_noise_dens), 0.4 and later not: called with five, which a
  // four-argument function ignores
  void (*load_noise)(void* inst, void* model, double freq, double* noise_dens, double* ln_noise_dens);
  void (*load_residual_resist)(void* inst, void* model, double* dst);
  void (*load_residual_react)(void* inst, void* model, double* dst);
  void (*load_limit_rhs_resist)(void* inst, void* model, double* dst);
  void (*load_limit_rhs_react)(void* inst, void* model, double* dst);
  void (*load_spice_rhs_dc)(void* inst, void* model, double* dst, double* prev_solve);
  void (*load_spice_rhs_tran)(void* inst, void* model, double* dst, double* prev_solve, double alpha);
  void (*load_jacobian_resist)(void* inst, void* model);
  void (*load_jacobian_react)(void* inst, void* model, double alpha);
  void (*load_jacobian_tran)(void* inst, void* model, double alpha);
};

static_assert(offsetof(Descriptor, num_params) == 76);
static_assert(offsetof(Descriptor, node_mapping_offset) == 96);
static_assert(offsetof(Descriptor, model_size) == 120);
static_assert(offsetof(Descriptor, access) == 128);
static_assert(sizeof(Descriptor) == 240);  // version 0.3's descriptor; later ones are larger

// The library's `osdi_log` variable: the simulator's message sink.
using LogFn = void (*)(void* handle, char* msg, std::uint32_t level);

}  // namespace simcore::osdi
