/* Example device plugin: a comparator-driven ideal switch, a switching device
 * that uses the engine's events.
 *
 *   N<name> p n cp cn <model> [on=1]
 *   .model <model> cmpswitch(vt=0 vh=0 ron=1 roff=1e6)
 *
 * Between p and n a resistance ron (on) or roff (off). The comparator turns
 * the switch on when v(cp) - v(cn) rises above vt + vh and off when it falls
 * below vt - vh (in between the state holds). The state is one byte the
 * engine holds; next_state gives the state at a solution, event_function
 * crosses zero where that state would change, so the engine's event locator
 * ends a step exactly at the comparator's threshold crossing. For a fixed
 * state the device is linear (it takes part in event mode). The same element
 * as the built-in S switch with an SW model.
 */
#include <stdio.h>
#include <stdlib.h>

#include "simcore/device_plugin.h"

enum { P_ON, P_VT, P_VH, P_RON, P_ROFF, P_COUNT };
enum { T_P, T_N, T_CP, T_CN };

static const simcore_param_desc kParams[P_COUNT] = {
    {"on", SIMCORE_PARAM_INSTANCE, 0.0, "", "1: the DC analysis starts with the switch on"},
    {"vt", SIMCORE_PARAM_MODEL, 0.0, "V", "comparator threshold"},
    {"vh", SIMCORE_PARAM_MODEL, 0.0, "V", "hysteresis half-width (on above vt+vh, off below vt-vh)"},
    {"ron", SIMCORE_PARAM_MODEL, 1.0, "Ω", "on resistance"},
    {"roff", SIMCORE_PARAM_MODEL, 1e12, "Ω", "off resistance"},
};

static const simcore_matrix_entry kEntries[] = {{T_P, T_P}, {T_P, T_N}, {T_N, T_P}, {T_N, T_N}};
static const int kDcPaths[] = {T_P, T_N};

typedef struct {
  double vt, vh, gon, goff;
  unsigned char on0;
} comparator_switch;

static void* create(const double* p, char* error, size_t error_size) {
  if (!(p[P_RON] > 0) || !(p[P_ROFF] > 0)) {
    snprintf(error, error_size, "ron and roff must be positive");
    return NULL;
  }
  if (p[P_VH] < 0) {
    snprintf(error, error_size, "vh must not be negative");
    return NULL;
  }
  comparator_switch* s = malloc(sizeof *s);
  if (!s) return NULL;
  s->vt = p[P_VT];
  s->vh = p[P_VH];
  s->gon = 1.0 / p[P_RON];
  s->goff = 1.0 / p[P_ROFF];
  s->on0 = p[P_ON] != 0;
  return s;
}

static void destroy(void* instance) { free(instance); }

static void load(const void* instance, simcore_load_args* a) {
  const comparator_switch* s = instance;
  const double g = a->state ? s->gon : s->goff;
  const double i = g * (a->x[T_P] - a->x[T_N]);
  a->f[T_P] = i;
  a->f[T_N] = -i;
  a->g[0] = g;
  a->g[1] = -g;
  a->g[2] = -g;
  a->g[3] = g;
}

static uint8_t initial_state(const void* instance) { return ((const comparator_switch*)instance)->on0; }

static uint8_t next_state(const void* instance, const double* x, uint8_t state) {
  const comparator_switch* s = instance;
  const double c = x[T_CP] - x[T_CN];
  if (c > s->vt + s->vh) return 1;
  if (c < s->vt - s->vh) return 0;
  return state;
}

/* Zero at the level that flips the held state: vt + vh while off, vt - vh while on. */
static double event_function(const void* instance, const double* x, uint8_t state) {
  const comparator_switch* s = instance;
  return x[T_CP] - x[T_CN] - (state ? s->vt - s->vh : s->vt + s->vh);
}

static const simcore_device_kind kSwitch = {
    .struct_size = sizeof(simcore_device_kind),
    .name = "comparator_switch",
    .letter = 'n',
    .model_type = "cmpswitch",
    .terminals = 4,
    .flags = SIMCORE_KIND_SWITCHING,
    .params = kParams,
    .num_params = P_COUNT,
    .entries = kEntries,
    .num_entries = 4,
    .dc_paths = kDcPaths,
    .num_dc_paths = 1,
    .create = create,
    .destroy = destroy,
    .load = load,
    .initial_state = initial_state,
    .next_state = next_state,
    .event_function = event_function,
    .doc = "ideal switch between p and n driven by a comparator on v(cp) - v(cn) with hysteresis",
};

static const simcore_device_kind* const kKinds[] = {&kSwitch};

static const simcore_plugin kPlugin = {
    .abi_version = SIMCORE_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(simcore_plugin),
    .name = "simcore-example-comparator-switch",
    .version = "1.0",
    .kinds = kKinds,
    .num_kinds = 1,
};

#ifdef SIMCORE_PLUGIN_STATIC_NAME
const simcore_plugin* SIMCORE_PLUGIN_STATIC_NAME(void) { return &kPlugin; }
#else
SIMCORE_PLUGIN_EXPORT const simcore_plugin* simcore_plugin_entry(void) { return &kPlugin; }
#endif
