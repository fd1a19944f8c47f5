/* simcore device plugin ABI (docs/plugins.md).
 *
 * A device plugin is a shared library (or, for WebAssembly, an object linked
 * in at build time) that exports one C function,
 *
 *     const simcore_plugin* simcore_plugin_entry(void);
 *
 * returning a descriptor that lives as long as the library is loaded. The
 * descriptor lists device kinds; each kind declares its card (letter and
 * .model type), parameters, unknowns and matrix entries once, and the engine
 * calls back into it to load residuals and Jacobians. The engine owns the
 * unknowns, the matrix, the integration method, the event locator and every
 * discrete state; a plugin only evaluates functions of the values it is given.
 *
 * Stability: SIMCORE_PLUGIN_ABI_VERSION changes only when an existing field or
 * callback changes meaning or position. Fields are only ever appended at the
 * end of a struct; a plugin built against an older header of the same ABI
 * version keeps working (the engine reads struct_size and treats absent
 * trailing fields as zero). A plugin whose abi_version differs from the
 * engine's is refused at load time with an error naming the file and both
 * versions.
 *
 * Local unknown numbering, used by every index and array below:
 *   0 .. terminals-1                                   the card's nodes, in order
 *   terminals .. terminals+internal_nodes-1            internal nodes
 *   terminals+internal_nodes .. unknowns-1             branch currents
 * where unknowns = terminals + internal_nodes + branches. A terminal wired
 * to ground still has its local index; the engine drops its row and column.
 *
 * Residual convention (the engine's): f[k] of a node is the current leaving
 * the node through the device, in amperes; f[k] of a branch is the branch's
 * constraint equation (zero at a solution). q[k] is the charge whose time
 * derivative also leaves node k (or enters branch equation k); the engine's
 * integrator turns q into a current, the device never sees the method.
 */
#ifndef SIMCORE_DEVICE_PLUGIN_H
#define SIMCORE_DEVICE_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SIMCORE_PLUGIN_ABI_VERSION 1u

#if defined(_WIN32)
#define SIMCORE_PLUGIN_EXPORT __declspec(dllexport)
#else
#define SIMCORE_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/* Where a parameter is written: on the instance card or on the .model card. */
enum simcore_param_scope { SIMCORE_PARAM_INSTANCE = 0, SIMCORE_PARAM_MODEL = 1 };

typedef struct simcore_param_desc {
  const char* name; /* lower case letters, digits and '_' */
  int scope;        /* simcore_param_scope */
  double def;       /* default; NaN: none (create gets NaN when it is not given,
                       and refuses it or derives a value) */
  const char* unit; /* SI unit, "" when dimensionless */
  const char* doc;  /* one line */
} simcore_param_desc;

/* One matrix entry: d(f or q)[row] / dx[col], local indices. */
typedef struct simcore_matrix_entry {
  int row;
  int col;
} simcore_matrix_entry;

/* simcore_device_kind.flags */
enum simcore_kind_flags {
  /* load() is nonlinear in x: Newton iterates it. Without this flag and
   * without SWITCHING the kind is linear (f, q affine in x, g and c constant). */
  SIMCORE_KIND_NONLINEAR = 1u,
  /* The kind has a discrete state (one byte per instance, held by the engine)
   * that changes only at located events: next_state and event_function are
   * required. Without NONLINEAR, load() must be affine in x for a fixed state,
   * and the kind takes part in event mode (.options switching). */
  SIMCORE_KIND_SWITCHING = 2u,
  /* load() gives charges q and their derivatives c. */
  SIMCORE_KIND_REACTIVE = 4u
};

/* simcore_load_args.mode */
enum simcore_load_mode {
  SIMCORE_MODE_DC = 0,   /* operating point, dc sweep point: dq/dt is zero */
  SIMCORE_MODE_TRAN = 1, /* a transient time point */
  SIMCORE_MODE_AC = 2    /* the small-signal model at the operating point: the engine
                            stamps g + j*omega*c (same equations as TRAN) */
};

typedef struct simcore_load_args {
  /* in */
  const double* x; /* [unknowns] local unknown values (V for nodes, A for branches) */
  double time;     /* s; 0 at DC */
  int mode;        /* simcore_load_mode */
  double gmin;     /* S, the circuit's junction shunt conductance */
  double temp;     /* degC, the circuit temperature */
  uint8_t state;   /* SWITCHING: the held discrete state; 0 otherwise */
  /* out: zeroed by the engine before every call */
  double* f; /* [unknowns] resistive part */
  double* q; /* [unknowns] REACTIVE: charges (C, or the state's unit) */
  double* g; /* [num_entries] df[row]/dx[col] by entry index */
  double* c; /* [num_entries] REACTIVE: dq[row]/dx[col] by entry index */
} simcore_load_args;

typedef struct simcore_device_kind {
  uint32_t struct_size;    /* sizeof(simcore_device_kind) as the plugin was built */
  const char* name;        /* "memristor": messages, describe() */
  char letter;             /* card letter, lower case; 0 means 'n' */
  const char* model_type;  /* the .model type that selects this kind, lower case (required) */
  int terminals;           /* >= 1 */
  int internal_nodes;      /* >= 0: named "<device>#<k>" in results */
  int branches;            /* 0 or 1: a branch current, "i(<device>)" in results */
  uint32_t flags;          /* simcore_kind_flags */
  const simcore_param_desc* params;
  int num_params;
  const simcore_matrix_entry* entries; /* every (row, col) load() may touch, no duplicates */
  int num_entries;
  /* Pairs of nodes (terminals or internal nodes, 2*num_dc_paths local
   * indices) with a DC path between them, for the floating-node check: every
   * node must reach ground through such paths. Null: every terminal reaches
   * node 0 (terminal 0). */
  const int* dc_paths;
  int num_dc_paths;

  /* A new instance from its parameters, in params order (given value, else
   * the default). On failure: return null and write a message (at most
   * error_size bytes, NUL-terminated) that the engine reports at the card. */
  void* (*create)(const double* params, char* error, size_t error_size);
  void (*destroy)(void* instance);
  /* Fill f, g (and q, c when REACTIVE) at args->x. Must not change the
   * instance: the engine may call it at any point, in any order. */
  void (*load)(const void* instance, simcore_load_args* args);

  /* SWITCHING. The state the DC analysis starts from (null: 0). */
  uint8_t (*initial_state)(const void* instance);
  /* The state at solution x when the held state is `state` (hysteresis,
   * latching). The engine calls it between Newton iterations at DC, and at
   * accepted transient points. */
  uint8_t (*next_state)(const void* instance, const double* x, uint8_t state);
  /* A continuous function of x, for the held `state`, that crosses zero where
   * next_state would first change the state; the event locator finds that
   * crossing inside a step and ends the step there. */
  double (*event_function)(const void* instance, const double* x, uint8_t state);

  const char* doc; /* one paragraph for describe()/docs; may be null */

  /* Appended in ABI version 1 (absent in older plugins: zero). For kinds made
   * at run time from data (one set of callbacks serving many kinds, as the
   * OSDI bridge's): when create_in_kind is set the engine calls it, with the
   * kind's kind_data, instead of create (which may then be null). */
  void* kind_data;
  void* (*create_in_kind)(void* kind_data, const double* params, char* error, size_t error_size);

  /* Noise (appended in ABI version 1; absent: the kind is noiseless in .noise). Each instance
   * has num_noise generators, noise currents between two nodes, named for the results by
   * noise_names ("_rs", "_id": ngspice's suffixes). noise() gives, at the operating point x and
   * the circuit temperature temp (degC), each generator's nodes (nodes[2g], nodes[2g+1]: local
   * terminal or internal node indices, -1 for ground) and its one-sided spectral density
   * S(f) = white[g] + flicker[g] / f^fexp[g] (A^2/Hz; white and flicker >= 0). */
  int num_noise;
  const char* const* noise_names;
  void (*noise)(const void* instance, const double* x, double temp, int* nodes, double* white, double* flicker,
                double* fexp);

  /* Operating-point outputs (appended in ABI version 1; absent: none): ngspice's @device[name]
   * vectors of op, dc and transient rows. output() gives output `id` (an index into
   * output_names: lower-case names) at the solution x and circuit temperature temp (degC). */
  int num_outputs;
  const char* const* output_names;
  double (*output)(const void* instance, const double* x, double temp, int id);

  /* Merged internal nodes (appended in ABI version 1; absent: none). Called once per internal
   * node after create: the local node (a terminal or a lower internal node) that internal node
   * `local` is one node with for this instance, -1 for ground, or `local` itself. A merged node
   * gets no unknown of its own: its rows and columns are those of the node it is merged with
   * (a compact model's series resistance of 0, OSDI's collapsed nodes). */
  int (*node_alias)(const void* instance, int local);

  /* Fewer connected terminals (appended in ABI version 1; absent: every terminal on every
   * card). A card may name min_terminals to terminals nodes; the terminals it leaves out are
   * the instance's own nodes, as internal nodes are (ngspice's OSDI devices: BSIM-BULK's and
   * HICUM's thermal node t). connect() is called right after create, before node_alias, when a
   * card names fewer than `terminals` nodes; it returns 0, or writes a message and returns
   * nonzero to refuse. */
  int min_terminals;
  int (*connect)(void* instance, int connected, char* error, size_t error_size);
} simcore_device_kind;

typedef struct simcore_plugin {
  uint32_t abi_version;  /* SIMCORE_PLUGIN_ABI_VERSION the plugin was built with */
  uint32_t struct_size;  /* sizeof(simcore_plugin) as the plugin was built */
  const char* name;      /* "simcore-example-memristor" */
  const char* version;   /* the plugin's own version, free text */
  const simcore_device_kind* const* kinds; /* num_kinds pointers */
  int num_kinds;
} simcore_plugin;

typedef const simcore_plugin* (*simcore_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* SIMCORE_DEVICE_PLUGIN_H */
