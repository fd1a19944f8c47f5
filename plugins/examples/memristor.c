/* Example device plugin: the HP linear-drift memristor (Strukov et al. 2008).
 *
 *   N<name> p n <model> [w0=...]
 *   .model <model> memristor(ron=100 roff=16k d=10n mu=1e-14)
 *
 * Between p and n the device is a resistance M(w) = ron*w/d + roff*(1 - w/d)
 * whose state w (the doped width, metres) drifts with the current:
 * dw/dt = mu*ron/d * i. The unknown is the normalised state s = w/d (0..1,
 * so that the engine's voltage tolerances suit it), the voltage of an
 * internal node (local unknown 2) whose row holds the state equation: its
 * charge is s (so the engine's integrator forms ds/dt) and its resistive
 * part is -mu*ron/d^2 * i. At DC the state is held at w0 (row: s - w0/d = 0).
 * Nonlinear: i = v / M(s). No window function: s is not clamped to [0, 1].
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "simcore/device_plugin.h"

enum { P_W0, P_RON, P_ROFF, P_D, P_MU, P_COUNT };
enum { T_P, T_N, U_W, N_UNKNOWNS };

static const simcore_param_desc kParams[P_COUNT] = {
    {"w0", SIMCORE_PARAM_INSTANCE, NAN, "m", "initial state (doped width); not given: d/2"},
    {"ron", SIMCORE_PARAM_MODEL, 100.0, "Ω", "resistance when fully doped (w = d)"},
    {"roff", SIMCORE_PARAM_MODEL, 16e3, "Ω", "resistance when undoped (w = 0)"},
    {"d", SIMCORE_PARAM_MODEL, 10e-9, "m", "device thickness"},
    {"mu", SIMCORE_PARAM_MODEL, 1e-14, "m²/(V·s)", "dopant mobility"},
};

/* Entries: the terminal rows depend on v(p), v(n) and w; the state row on
 * v(p), v(n) (through i) and w (its charge and, at DC, itself). */
static const simcore_matrix_entry kEntries[] = {
    {T_P, T_P}, {T_P, T_N}, {T_P, U_W}, {T_N, T_P}, {T_N, T_N},
    {T_N, U_W}, {U_W, T_P}, {U_W, T_N}, {U_W, U_W},
};
enum { E_PP, E_PN, E_PW, E_NP, E_NN, E_NW, E_WP, E_WN, E_WW, E_COUNT };

/* p-n conduct; the state node is fixed by its own row at DC (w = w0). */
static const int kDcPaths[] = {T_P, T_N, U_W, T_N};

typedef struct {
  double s0, ron, roff, k; /* s0 = w0/d, k = mu*ron/d^2 */
} memristor;

static void* create(const double* p, char* error, size_t error_size) {
  if (!(p[P_RON] > 0) || !(p[P_ROFF] > 0) || !(p[P_D] > 0)) {
    snprintf(error, error_size, "ron, roff and d must be positive");
    return NULL;
  }
  const double w0 = isnan(p[P_W0]) ? 0.5 * p[P_D] : p[P_W0];
  if (!(w0 >= 0 && w0 <= p[P_D])) {
    snprintf(error, error_size, "w0=%g is outside [0, d=%g]", w0, p[P_D]);
    return NULL;
  }
  memristor* m = malloc(sizeof *m);
  if (!m) return NULL;
  m->s0 = w0 / p[P_D];
  m->ron = p[P_RON];
  m->roff = p[P_ROFF];
  m->k = p[P_MU] * p[P_RON] / (p[P_D] * p[P_D]);
  return m;
}

static void destroy(void* instance) { free(instance); }

static void load(const void* instance, simcore_load_args* a) {
  const memristor* m = instance;
  const double v = a->x[T_P] - a->x[T_N];
  const double s = a->x[U_W];
  /* M(s) = roff + (ron - roff) s, i = v/M */
  const double M = m->roff + (m->ron - m->roff) * s;
  const double dM = m->ron - m->roff;
  const double i = v / M, di_dv = 1.0 / M, di_dw = -v * dM / (M * M);
  a->f[T_P] = i;
  a->f[T_N] = -i;
  a->g[E_PP] = di_dv;
  a->g[E_PN] = -di_dv;
  a->g[E_PW] = di_dw;
  a->g[E_NP] = -di_dv;
  a->g[E_NN] = di_dv;
  a->g[E_NW] = -di_dw;
  if (a->mode == SIMCORE_MODE_DC) {
    a->f[U_W] = s - m->s0;
    a->g[E_WW] = 1.0;
    return;
  }
  /* ds/dt - k i = 0 */
  a->f[U_W] = -m->k * i;
  a->g[E_WP] = -m->k * di_dv;
  a->g[E_WN] = m->k * di_dv;
  a->g[E_WW] = -m->k * di_dw;
  a->q[U_W] = s;
  a->c[E_WW] = 1.0;
}

static const simcore_device_kind kMemristor = {
    .struct_size = sizeof(simcore_device_kind),
    .name = "memristor",
    .letter = 'n',
    .model_type = "hpmemristor",
    .terminals = 2,
    .internal_nodes = 1,
    .branches = 0,
    .flags = SIMCORE_KIND_NONLINEAR | SIMCORE_KIND_REACTIVE,
    .params = kParams,
    .num_params = P_COUNT,
    .entries = kEntries,
    .num_entries = E_COUNT,
    .dc_paths = kDcPaths,
    .num_dc_paths = 2,
    .create = create,
    .destroy = destroy,
    .load = load,
    .doc = "HP linear-drift memristor: M(w) = ron w/d + roff (1 - w/d), dw/dt = mu ron/d i; "
           "the state w/d is the internal node <name>#0",
};

static const simcore_device_kind* const kKinds[] = {&kMemristor};

static const simcore_plugin kPlugin = {
    .abi_version = SIMCORE_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(simcore_plugin),
    .name = "simcore-example-memristor",
    .version = "1.0",
    .kinds = kKinds,
    .num_kinds = 1,
};

/* The entry point; SIMCORE_PLUGIN_STATIC_NAME renames it when the plugin is
 * linked into a program (the WebAssembly build, tests) next to others. */
#ifdef SIMCORE_PLUGIN_STATIC_NAME
const simcore_plugin* SIMCORE_PLUGIN_STATIC_NAME(void) { return &kPlugin; }
#else
SIMCORE_PLUGIN_EXPORT const simcore_plugin* simcore_plugin_entry(void) { return &kPlugin; }
#endif
