/* FMU step overhead (docs/fmu.md, "Overhead"): time per fmi2DoStep of an
 * exported FMU against the engine advancing one step through the C API.
 *
 *   step_overhead UNZIPPED_FMU_DIR MODEL_ID GUID NETLIST
 *
 * 1. fmi2DoStep with communication steps of 1 ns on the RC filter (1 ms):
 *    a million DoSteps, most inside one engine step (the dense output);
 * 2. fmi2DoStep with 1 us steps (the .tran grid): about one engine step each;
 * 3. simcore_advance(sim, sink, 1 row) through libsimcore: one engine step per call.
 * Prints the time per call of each (best of 3 runs). */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "simcore.h"

typedef void* (*Instantiate)(const char*, int, const char*, const char*, const void*, int, int);
typedef int (*Setup)(void*, int, double, double, int, double);
typedef int (*Mode)(void*);
typedef int (*DoStep)(void*, double, double, int);
typedef int (*GetReal)(void*, const unsigned*, size_t, double*);
typedef void (*Free)(void*);

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static void logger(void* env, const char* name, int status, const char* cat, const char* msg, ...) {
  fprintf(stderr, "[%s] %s\n", cat, msg);
}

struct Callbacks {
  void* logger;
  void* allocate;
  void* free;
  void* stepFinished;
  void* env;
};

/* seconds per DoStep of size h over [0, 1 ms] */
static double fmuRun(void* lib, const char* dir, const char* guid, double h, long* steps) {
  Instantiate inst = (Instantiate)dlsym(lib, "fmi2Instantiate");
  Setup setup = (Setup)dlsym(lib, "fmi2SetupExperiment");
  Mode enter = (Mode)dlsym(lib, "fmi2EnterInitializationMode"), exitm = (Mode)dlsym(lib, "fmi2ExitInitializationMode");
  DoStep step = (DoStep)dlsym(lib, "fmi2DoStep");
  Free freei = (Free)dlsym(lib, "fmi2FreeInstance");
  struct Callbacks cb = {(void*)logger, (void*)calloc, (void*)free, NULL, NULL};
  char uri[4200];
  snprintf(uri, sizeof uri, "file://%s/resources", dir);
  void* c = inst("bench", 1, guid, uri, &cb, 0, 0);
  if (!c) { fprintf(stderr, "instantiate failed\n"); exit(1); }
  setup(c, 0, 0, 0.0, 1, 1e-3);
  enter(c);
  exitm(c);
  long n = (long)(1e-3 / h + 0.5);
  double t0 = now();
  for (long k = 0; k < n; ++k)
    if (step(c, k * h, h, 1) != 0) { fprintf(stderr, "DoStep failed at %ld\n", k); exit(1); }
  double dt = now() - t0;
  freei(c);
  *steps = n;
  return dt / n;
}

static void onChunk(void* user, const simcore_chunk* c) { *(size_t*)user += c->rows; }

static double capiRun(const char* netlist, long* calls) {
  FILE* f = fopen(netlist, "rb");
  if (!f) { perror(netlist); exit(1); }
  static char text[1 << 16];
  size_t len = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  simcore_config* cfg = simcore_config_new();
  simcore_config_add_analysis(cfg, ".tran 1u 1m");
  simcore_config_set_chunk_rows(cfg, 1);
  simcore_error err;
  simcore_sim* sim = simcore_create(text, len, netlist, cfg, &err);
  if (!sim) { fprintf(stderr, "%s\n", err.formatted); exit(1); }
  size_t rows = 0;
  simcore_sink sink = {NULL, onChunk, NULL, &rows};
  int done = 0;
  long n = 0;
  double t0 = now();
  while (!done) {
    if (simcore_advance(sim, &sink, 1, &done, &err) != SIMCORE_OK) { fprintf(stderr, "%s\n", err.formatted); exit(1); }
    ++n;
  }
  double dt = now() - t0;
  simcore_destroy(sim);
  simcore_config_free(cfg);
  *calls = n;
  return dt / n;
}

int main(int argc, char** argv) {
  if (argc != 5) { fprintf(stderr, "usage: %s FMU_DIR MODEL_ID GUID NETLIST\n", argv[0]); return 2; }
  char so[4200];
  snprintf(so, sizeof so, "%s/binaries/linux64/%s.so", argv[1], argv[2]);
  void* lib = dlopen(so, RTLD_NOW | RTLD_LOCAL);
  if (!lib) { fprintf(stderr, "%s\n", dlerror()); return 1; }
  double best[3] = {1e9, 1e9, 1e9};
  long n[3] = {0, 0, 0};
  for (int r = 0; r < 3; ++r) {
    double a = fmuRun(lib, argv[1], argv[3], 1e-9, &n[0]);
    double b = fmuRun(lib, argv[1], argv[3], 1e-6, &n[1]);
    double c = capiRun(argv[4], &n[2]);
    if (a < best[0]) best[0] = a;
    if (b < best[1]) best[1] = b;
    if (c < best[2]) best[2] = c;
  }
  printf("fmi2DoStep, 1 ns steps:               %8.3f us per call (%ld calls)\n", 1e6 * best[0], n[0]);
  printf("fmi2DoStep, 1 us steps:               %8.3f us per call (%ld calls)\n", 1e6 * best[1], n[1]);
  printf("simcore_advance, 1 row (engine step): %8.3f us per call (%ld calls)\n", 1e6 * best[2], n[2]);
  return 0;
}
