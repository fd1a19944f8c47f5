/* libsimcore: the simcore circuit simulator's C API.
 *
 * A stable C interface over the resumable engine: create a simulation from
 * netlist text, drive it with a row budget, receive its rows through callbacks.
 * No global state: any number of simulations per process and per thread (one
 * simulation is used by one thread at a time; simcore_cancel may be called
 * from any thread).
 *
 *   simcore_config *cfg = simcore_config_new();
 *   simcore_config_set_param(cfg, "duty", 0.5);
 *   simcore_error err;
 *   simcore_sim *sim = simcore_create(text, strlen(text), "buck.cir", cfg, &err);
 *   if (!sim) { fprintf(stderr, "%s\n", err.formatted); ... }
 *   simcore_sink sink = { .begin = on_begin, .chunk = on_chunk, .end = on_end, .user = ctx };
 *   int done = 0;
 *   while (!done)
 *     if (simcore_advance(sim, &sink, 4096, &done, &err) != SIMCORE_OK) { ... break; }
 *   simcore_destroy(sim);
 *   simcore_config_free(cfg);
 *
 * Errors carry the engine's error code (the same table as the gRPC API's
 * simcore.v1.ErrorCode: SIMCORE_ERROR_PARSE == ERROR_CODE_PARSE == 1, ...), a
 * message and, for netlist errors, file, line and column.
 *
 * ABI: SIMCORE_ABI_VERSION changes when a declaration here changes
 * incompatibly; simcore_abi_version() gives the library's, so a host can
 * refuse a library built for another ABI. Structs the library fills start
 * with their size (set by the caller), so fields can be added at the end.
 */
#ifndef SIMCORE_H
#define SIMCORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(SIMCORE_BUILDING_LIBRARY) && defined(__GNUC__)
#define SIMCORE_API __attribute__((visibility("default")))
#else
#define SIMCORE_API
#endif

#define SIMCORE_ABI_VERSION 1

/* Status of a call: SIMCORE_OK or one of the engine's error codes. */
typedef enum simcore_status {
  SIMCORE_OK = 0,
  SIMCORE_ERROR_PARSE = 1,              /* lexical / syntax error in the netlist */
  SIMCORE_ERROR_SEMANTIC = 2,           /* unknown model, bad parameter, ... */
  SIMCORE_ERROR_TOPOLOGY = 3,           /* floating node, voltage-source loop */
  SIMCORE_ERROR_SINGULAR = 4,           /* singular matrix */
  SIMCORE_ERROR_CONVERGENCE = 5,        /* Newton failed after every fallback */
  SIMCORE_ERROR_TIMESTEP_TOO_SMALL = 6, /* transient step below the minimum */
  SIMCORE_ERROR_CANCELLED = 7,          /* simcore_cancel was called */
  SIMCORE_ERROR_LIMIT = 8,              /* a limit set in the config was exceeded */
  SIMCORE_ERROR_INTERNAL = 9,           /* a bug */
  SIMCORE_ERROR_BAD_ARGUMENT = 100      /* a NULL pointer or bad value given to this API */
} simcore_status;

/* An error, filled by the library (strings are NUL-terminated, cut to fit). */
typedef struct simcore_error {
  simcore_status code;
  int line;              /* 1-based; 0 when unknown */
  int column;            /* 1-based; 0 when unknown */
  char file[256];        /* "" when unknown */
  char message[1024];
  char formatted[1400];  /* "FILE:LINE:COL: error: message" */
} simcore_error;

/* The library's ABI version (SIMCORE_ABI_VERSION it was built with) and its
 * release ("0.4.0"). */
SIMCORE_API uint32_t simcore_abi_version(void);
SIMCORE_API const char* simcore_version(void);
/* The engine's name of a status ("parse", "timestep_too_small", "ok", "bad_argument"). */
SIMCORE_API const char* simcore_status_name(simcore_status s);

/* --- configuration (owned by the caller; copied by simcore_create) ------------- */
typedef struct simcore_config simcore_config;

/* An .include / .lib resolver: called during simcore_create with the path as
 * written and the including file's name. Give the text with
 * simcore_resolved_set (copied) and return 0; return non-zero when the file
 * cannot be read (with an optional reason set by simcore_resolved_fail). */
typedef struct simcore_resolved simcore_resolved;
typedef int (*simcore_resolver)(void* user, const char* path, const char* from_file, simcore_resolved* out);
SIMCORE_API void simcore_resolved_set(simcore_resolved* out, const char* name, const char* text, size_t length);
SIMCORE_API void simcore_resolved_fail(simcore_resolved* out, const char* reason);

SIMCORE_API simcore_config* simcore_config_new(void);
SIMCORE_API void simcore_config_free(simcore_config* cfg);
/* A top-level .param override (name case-insensitive). */
SIMCORE_API simcore_status simcore_config_set_param(simcore_config* cfg, const char* name, double value);
/* Keep only these signals ("v(out)", "i(vin)"); call once per signal. */
SIMCORE_API simcore_status simcore_config_add_save(simcore_config* cfg, const char* signal);
/* Replace the netlist's analyses by these cards (".tran 1u 1m"); call once per card. */
SIMCORE_API simcore_status simcore_config_add_analysis(simcore_config* cfg, const char* card);
SIMCORE_API simcore_status simcore_config_set_resolver(simcore_config* cfg, simcore_resolver fn, void* user);
/* Limits (0 = none): unknowns, transient time points. */
SIMCORE_API simcore_status simcore_config_set_limits(simcore_config* cfg, int64_t max_unknowns,
                                                     int64_t max_time_points);
/* Transient rows on the .tran grid (dense output) instead of every accepted point. */
SIMCORE_API simcore_status simcore_config_set_interpolate(simcore_config* cfg, int on);
/* Rows per chunk (default 1024). */
SIMCORE_API simcore_status simcore_config_set_chunk_rows(simcore_config* cfg, size_t rows);

/* --- a simulation -------------------------------------------------------------- */
typedef struct simcore_sim simcore_sim;

/* Parses the netlist and prepares its analyses. NULL on failure, with `err`
 * (may be NULL) filled. cfg may be NULL (defaults). file_name names the text in
 * errors (NULL: "<netlist>"). */
SIMCORE_API simcore_sim* simcore_create(const char* netlist, size_t length, const char* file_name,
                                        const simcore_config* cfg, simcore_error* err);
SIMCORE_API void simcore_destroy(simcore_sim* sim);

typedef enum simcore_analysis_type {
  SIMCORE_ANALYSIS_OP = 1,
  SIMCORE_ANALYSIS_DC = 2,
  SIMCORE_ANALYSIS_AC = 3,
  SIMCORE_ANALYSIS_TRAN = 4,
  SIMCORE_ANALYSIS_PSS = 5,
  SIMCORE_ANALYSIS_FRA = 6,
  SIMCORE_ANALYSIS_LOSSES = 7,
  SIMCORE_ANALYSIS_NOISE = 8,
  SIMCORE_ANALYSIS_NOISE_TOTAL = 9,
  SIMCORE_ANALYSIS_TF = 10,
  SIMCORE_ANALYSIS_PZ = 11,
  SIMCORE_ANALYSIS_PSS_SPECTRUM = 12,
  SIMCORE_ANALYSIS_SENS = 13,
  SIMCORE_ANALYSIS_SP = 14 /* .sp: complex over frequency (s_i_j, y_i_j, z_i_j, ...) */
} simcore_analysis_type;

/* The start of one analysis. Pointers are valid during the callback only. */
typedef struct simcore_header {
  simcore_analysis_type type;
  int index;                         /* position among the run's analyses */
  const char* name;                  /* "op", "dc", "ac", "tran", "pss", "fra", ..., "sens", "sp" */
  const char* x_name;                /* "time", "frequency", a source name; "" for op */
  int is_complex;                    /* ac, fra, sp: values have imaginary parts */
  size_t signal_count;
  const char* const* signal_names;   /* "v(out)", "i(vin)" */
  const int* signal_is_current;      /* 1: a current, 0: a voltage */
} simcore_header;

/* Rows of the current analysis, columnar. x has `rows` values (NULL for op);
 * re[k] (and im[k] for complex analyses) has `rows` values of signal k. */
typedef struct simcore_chunk {
  int index;
  size_t rows;
  const double* x;
  const double* const* re;
  const double* const* im;
} simcore_chunk;

typedef struct simcore_sink {
  void (*begin)(void* user, const simcore_header* header);
  void (*chunk)(void* user, const simcore_chunk* chunk);
  void (*end)(void* user, int index, size_t rows);
  void* user;
} simcore_sink;

/* Runs until about budget_rows rows were delivered, or the run ends (*done = 1).
 * Any callback may be NULL. On an error, the rows computed before it have been
 * delivered (end is not called for the failed analysis), `err` is filled and the
 * simulation cannot continue. */
SIMCORE_API simcore_status simcore_advance(simcore_sim* sim, const simcore_sink* sink, size_t budget_rows,
                                           int* done, simcore_error* err);
/* 0..1 over all analyses. */
SIMCORE_API double simcore_progress(const simcore_sim* sim);
/* Ask a running advance (in another thread) to stop with SIMCORE_ERROR_CANCELLED. */
SIMCORE_API void simcore_cancel(simcore_sim* sim);

typedef struct simcore_stats {
  size_t size;  /* set to sizeof(simcore_stats) by the caller */
  int64_t accepted_points;
  int64_t rejected_steps;
  int64_t newton_iterations;
  int64_t factorizations;
  int64_t solves;
  int64_t events;
  int64_t configurations;      /* event mode: switch configurations visited */
  int64_t factor_cache_hits;   /* event mode */
  int unknowns;
  int nonzeros;
  char switching_mode[16];     /* "event", "spice", "linear" or "" */
} simcore_stats;

SIMCORE_API simcore_status simcore_get_stats(const simcore_sim* sim, simcore_stats* out);

#ifdef __cplusplus
}
#endif
#endif /* SIMCORE_H */
