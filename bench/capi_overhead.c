/* What a call through libsimcore's C API costs (docs/capi.md, "Overhead"):
 *   1. a trivial call (simcore_progress) in a loop: the price of crossing the API;
 *   2. a whole transient advanced one row per call (budget_rows = 1, chunk_rows = 1) against
 *      the same run in one call: the extra time per simcore_advance call that returns a row.
 * Medians of ROUNDS alternated runs, timed with CLOCK_MONOTONIC.
 *   make bench-capi   (or build/bin/simcore_capi_overhead NETLIST [ROUNDS]) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <simcore.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cmp(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

static double median(double* v, int n) {
  qsort(v, (size_t)n, sizeof *v, cmp);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static size_t g_rows;
static void on_chunk(void* user, const simcore_chunk* c) {
  (void)user;
  g_rows += c->rows;
}

/* Runs the netlist advancing `budget` rows per call; returns seconds, calls in *calls. */
static double run(const char* text, size_t n, size_t budget, size_t chunk_rows, long* calls) {
  simcore_config* cfg = simcore_config_new();
  simcore_config_set_chunk_rows(cfg, chunk_rows);
  simcore_error err;
  memset(&err, 0, sizeof err);
  simcore_sim* sim = simcore_create(text, n, "bench.cir", cfg, &err);
  simcore_config_free(cfg);
  if (!sim) {
    fprintf(stderr, "simcore_create failed\n");
    exit(1);
  }
  simcore_sink sink = {NULL, on_chunk, NULL, NULL};
  int done = 0;
  long k = 0;
  g_rows = 0;
  double t0 = now();
  while (!done) {
    if (simcore_advance(sim, &sink, budget, &done, &err) != SIMCORE_OK) {
      fprintf(stderr, "simcore_advance failed\n");
      exit(1);
    }
    ++k;
  }
  double t = now() - t0;
  simcore_destroy(sim);
  *calls = k;
  return t;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s NETLIST [ROUNDS]\n", argv[0]);
    return 2;
  }
  int rounds = argc > 2 ? atoi(argv[2]) : 7;
  if (rounds < 1 || rounds > 100) rounds = 7;
  FILE* f = fopen(argv[1], "rb");
  if (!f) {
    perror(argv[1]);
    return 2;
  }
  static char text[1 << 20];
  size_t n = fread(text, 1, sizeof text - 1, f);
  fclose(f);

  /* 1. a trivial call */
  simcore_config* cfg = simcore_config_new();
  simcore_error err;
  memset(&err, 0, sizeof err);
  simcore_sim* sim = simcore_create(text, n, "bench.cir", cfg, &err);
  simcore_config_free(cfg);
  if (!sim) return 1;
  const long N = 20000000;
  double trivial[100];
  volatile double sink = 0;
  for (int r = 0; r < rounds; ++r) {
    double t0 = now();
    for (long i = 0; i < N; ++i) sink += simcore_progress(sim);
    trivial[r] = (now() - t0) / (double)N;
  }
  simcore_destroy(sim);

  /* 2. one row per call against one call */
  double perRow[100], whole[100], delta[100];
  long calls = 0, rows = 0;
  for (int r = 0; r < rounds; ++r) {
    long c1 = 0, c2 = 0;
    double a = run(text, n, 1, 1, &c1);
    rows = (long)g_rows;
    double b = run(text, n, (size_t)1 << 40, 1024, &c2);
    calls = c1;
    perRow[r] = a;
    whole[r] = b;
    delta[r] = (a - b) / (double)c1;
  }
  printf("netlist            %s (%ld rows)\n", argv[1], rows);
  printf("trivial call       %.2f ns (simcore_progress, median of %d x %ld)\n", 1e9 * median(trivial, rounds), rounds, N);
  printf("one call per row   %.4f s (%ld calls)\n", median(perRow, rounds), calls);
  printf("one call           %.4f s\n", median(whole, rounds));
  printf("per advance call   %.0f ns more (median of %d rounds)\n", 1e9 * median(delta, rounds), rounds);
  return (int)(sink < 0);
}
