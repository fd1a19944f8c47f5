/* Tests of libsimcore's C API, in C: many simulations in parallel threads
 * (analytic values), errors with locations, the include resolver, parameters,
 * cancel from another thread, stats. Exit 0 when every check passes. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <simcore.h>

static int failures = 0;
#define CHECK(cond, ...)                                   \
  do {                                                     \
    if (!(cond)) {                                         \
      ++failures;                                          \
      fprintf(stderr, "%s:%d: FAILED %s: ", __FILE__, __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__);                        \
      fprintf(stderr, "\n");                               \
    }                                                      \
  } while (0)

/* --- a sink that keeps the last value of one signal and counts rows -------- */
struct last {
  const char* signal;
  int column;
  double t, v;
  size_t rows, chunks, ends;
  void (*after_chunk)(struct last*);
  simcore_sim* sim;
};

static void on_begin(void* u, const simcore_header* h) {
  struct last* l = u;
  l->column = -1;
  for (size_t k = 0; k < h->signal_count; ++k)
    if (strcmp(h->signal_names[k], l->signal) == 0) l->column = (int)k;
}
static void on_chunk(void* u, const simcore_chunk* c) {
  struct last* l = u;
  l->rows += c->rows;
  l->chunks++;
  if (l->column >= 0 && c->rows) {
    l->v = c->re[l->column][c->rows - 1];
    l->t = c->x ? c->x[c->rows - 1] : 0;
  }
  if (l->after_chunk) l->after_chunk(l);
}
static void on_end(void* u, int index, size_t rows) { ((struct last*)u)->ends++; }

static simcore_status run(simcore_sim* sim, struct last* l, size_t budget, simcore_error* err) {
  simcore_sink sink = {on_begin, on_chunk, on_end, l};
  int done = 0;
  while (!done) {
    simcore_status s = simcore_advance(sim, &sink, budget, &done, err);
    if (s != SIMCORE_OK) return s;
  }
  return SIMCORE_OK;
}

/* --- 1. threads: each its own RC with its own R --------------------------- */
static const char* RC =
    "rc\n.param r=1k\nV1 in 0 1\nR1 in out {r}\nC1 out 0 1u\n.tran 10u 3m uic\n.ic v(out)=0\n.end\n";

struct job {
  double r;
  double v;
  double t;
  int status;
};

static void* thread_main(void* arg) {
  struct job* j = arg;
  simcore_config* cfg = simcore_config_new();
  simcore_config_set_param(cfg, "R", j->r); /* names are case-insensitive */
  simcore_config_set_chunk_rows(cfg, 37);
  simcore_error err;
  simcore_sim* sim = simcore_create(RC, strlen(RC), "rc.cir", cfg, &err);
  simcore_config_free(cfg);
  if (!sim) {
    j->status = err.code;
    return NULL;
  }
  struct last l = {"v(out)"};
  j->status = run(sim, &l, 50, &err);
  j->v = l.v;
  j->t = l.t;
  simcore_destroy(sim);
  return NULL;
}

static void test_threads(void) {
  enum { N = 8 };
  pthread_t th[N];
  struct job jobs[N];
  for (int i = 0; i < N; ++i) {
    jobs[i] = (struct job){.r = 250.0 * (i + 1)};
    pthread_create(&th[i], NULL, thread_main, &jobs[i]);
  }
  for (int i = 0; i < N; ++i) pthread_join(th[i], NULL);
  for (int i = 0; i < N; ++i) {
    double tau = jobs[i].r * 1e-6;
    double exact = 1.0 - exp(-jobs[i].t / tau);
    CHECK(jobs[i].status == SIMCORE_OK, "thread %d: status %d", i, jobs[i].status);
    CHECK(fabs(jobs[i].t - 3e-3) < 1e-12, "thread %d ends at %g", i, jobs[i].t);
    CHECK(fabs(jobs[i].v - exact) < 2e-3, "thread %d: v(out) %g, exact %g", i, jobs[i].v, exact);
  }
}

/* --- 2. errors ----------------------------------------------------------- */
static void test_errors(void) {
  simcore_error err;
  const char* bad = "title\nR1 a 0 1k\nQ1 a\n.op\n.end\n";
  CHECK(simcore_create(bad, strlen(bad), "bad.cir", NULL, &err) == NULL, "bad netlist accepted");
  CHECK(err.code == SIMCORE_ERROR_PARSE || err.code == SIMCORE_ERROR_SEMANTIC, "code %d", err.code);
  CHECK(err.line == 3 && err.column >= 1, "line %d col %d", err.line, err.column);
  CHECK(strcmp(err.file, "bad.cir") == 0, "file %s", err.file);
  CHECK(strncmp(err.formatted, "bad.cir:3:", 10) == 0, "formatted %s", err.formatted);
  CHECK(strlen(err.message) > 0, "empty message");

  /* a floating pair no capacitor reaches, under .ac: a topology error (a floating node under
     .op alone runs, tied to ground through gmin with a warning) */
  const char* floating = "t\nV1 a 0 1\nV2 p m 1 AC 1\nR1 p m 1k\n.ac dec 2 1 10\n.end\n";
  CHECK(simcore_create(floating, strlen(floating), NULL, NULL, &err) == NULL, "floating node accepted under .ac");
  CHECK(err.code == SIMCORE_ERROR_TOPOLOGY, "code %d (%s)", err.code, err.message);
  CHECK(strcmp(simcore_status_name(err.code), "topology") == 0, "name %s", simcore_status_name(err.code));
  const char* tied = "t\nV1 a 0 1\nC1 a b 1u\nR1 b c 1k\n.op\n.end\n";
  simcore_sim* ok = simcore_create(tied, strlen(tied), NULL, NULL, &err);
  CHECK(ok != NULL, "floating node under .op rejected: %s", err.message);
  if (ok) simcore_destroy(ok);

  simcore_config* cfg = simcore_config_new();
  simcore_config_set_param(cfg, "nosuch", 1);
  CHECK(simcore_create(RC, strlen(RC), "rc.cir", cfg, &err) == NULL, "unknown param accepted");
  CHECK(err.code == SIMCORE_ERROR_SEMANTIC && strstr(err.message, "nosuch"), "%s", err.message);
  simcore_config_free(cfg);

  CHECK(simcore_create(NULL, 0, NULL, NULL, &err) == NULL && err.code == SIMCORE_ERROR_BAD_ARGUMENT, "NULL netlist");
  int done = 7;
  CHECK(simcore_advance(NULL, NULL, 10, &done, &err) == SIMCORE_ERROR_BAD_ARGUMENT && done == 0, "NULL sim");
  CHECK(simcore_config_set_chunk_rows(NULL, 1) == SIMCORE_ERROR_BAD_ARGUMENT, "NULL config");
  CHECK(strcmp(simcore_status_name(SIMCORE_ERROR_TIMESTEP_TOO_SMALL), "timestep_too_small") == 0, "%s",
        simcore_status_name(SIMCORE_ERROR_TIMESTEP_TOO_SMALL));

  /* a limit hit while running: rows before it were delivered, then LIMIT */
  cfg = simcore_config_new();
  simcore_config_set_limits(cfg, 0, 100);
  simcore_sim* sim = simcore_create(RC, strlen(RC), "rc.cir", cfg, &err);
  simcore_config_free(cfg);
  CHECK(sim != NULL, "%s", err.formatted);
  struct last l = {"v(out)"};
  CHECK(run(sim, &l, 1000, &err) == SIMCORE_ERROR_LIMIT, "code %d", err.code);
  CHECK(l.rows > 0 && l.rows <= 100, "rows %zu", l.rows);
  CHECK(simcore_advance(sim, NULL, 10, &done, &err) == SIMCORE_ERROR_BAD_ARGUMENT, "advance after failure");
  simcore_destroy(sim);
}

/* --- 3. resolver, analyses, save ------------------------------------------ */
static int resolver(void* user, const char* path, const char* from, simcore_resolved* out) {
  ++*(int*)user;
  if (strcmp(path, "div.inc") == 0) {
    const char* t = ".param rb=3k\n";
    simcore_resolved_set(out, "lib/div.inc", t, strlen(t));
    return 0;
  }
  simcore_resolved_fail(out, "not in this test's files");
  return 1;
}

static void test_resolver(void) {
  const char* net = "div\n.include div.inc\nV1 a 0 4\nR1 a b 1k\nR2 b 0 {rb}\n.tran 1u 2u\n.end\n";
  int calls = 0;
  simcore_config* cfg = simcore_config_new();
  simcore_config_set_resolver(cfg, resolver, &calls);
  simcore_config_add_analysis(cfg, ".op");
  simcore_config_add_save(cfg, "v(b)");
  simcore_error err;
  simcore_sim* sim = simcore_create(net, strlen(net), "div.cir", cfg, &err);
  CHECK(sim != NULL && calls == 1, "%s (calls %d)", err.formatted, calls);
  if (sim) {
    struct last l = {"v(b)"};
    CHECK(run(sim, &l, 100, &err) == SIMCORE_OK, "%s", err.formatted);
    CHECK(l.rows == 1 && l.ends == 1 && fabs(l.v - 3.0) < 1e-9, "rows %zu v(b) %g", l.rows, l.v);
    CHECK(simcore_progress(sim) == 1.0, "progress %g", simcore_progress(sim));
    simcore_destroy(sim);
  }
  const char* missing = "m\n.include nope.inc\nV1 a 0 1\nR1 a 0 1\n.op\n.end\n";
  CHECK(simcore_create(missing, strlen(missing), "m.cir", cfg, &err) == NULL, "missing include accepted");
  CHECK(err.line == 2 && strstr(err.message, "not in this test's files"), "%s", err.formatted);
  simcore_config_free(cfg);
}

/* --- 4. cancel from another thread --------------------------------------- */
struct canceller {
  simcore_sim* sim;
  pthread_t th;
  int started;
};
static void* cancel_main(void* arg) {
  simcore_cancel(((struct canceller*)arg)->sim);
  return NULL;
}
static struct canceller cancel_state;
static void cancel_after_first_chunk(struct last* l) {
  if (!cancel_state.started) {
    cancel_state.started = 1;
    cancel_state.sim = l->sim;
    pthread_create(&cancel_state.th, NULL, cancel_main, &cancel_state);
    pthread_join(cancel_state.th, NULL);  /* the flag is set before the run goes on */
  }
}

static void test_cancel(void) {
  const char* net = "long\nV1 in 0 SIN(0 1 1k)\nR1 in out 1k\nC1 out 0 1u\n.tran 1u 1000\n.end\n";
  simcore_error err;
  simcore_sim* sim = simcore_create(net, strlen(net), "long.cir", NULL, &err);
  CHECK(sim != NULL, "%s", err.formatted);
  struct last l = {"v(out)"};
  l.after_chunk = cancel_after_first_chunk;
  l.sim = sim;
  CHECK(run(sim, &l, 64, &err) == SIMCORE_ERROR_CANCELLED, "code %d (%s)", err.code, err.message);
  CHECK(l.rows > 0 && l.t < 1.0, "rows %zu t %g", l.rows, l.t);
  simcore_stats st = {sizeof st};
  CHECK(simcore_get_stats(sim, &st) == SIMCORE_OK && st.accepted_points > 0 && st.unknowns == 3,
        "points %lld unknowns %d", (long long)st.accepted_points, st.unknowns);
  /* an older, smaller stats struct gets its own size filled, nothing beyond */
  struct { size_t size; int64_t accepted_points; int64_t rejected_steps; int64_t newton_iterations;
           int64_t factorizations; int64_t solves; int64_t events; int64_t configurations;
           int64_t factor_cache_hits; int unknowns; int nonzeros; char switching_mode[16]; int64_t guard; } big;
  memset(&big, 0x5a, sizeof big);
  big.size = offsetof(simcore_stats, switching_mode) + 16;
  CHECK(simcore_get_stats(sim, (simcore_stats*)&big) == SIMCORE_OK, "stats");
  int64_t pattern;
  memset(&pattern, 0x5a, sizeof pattern);
  CHECK(big.guard == pattern, "wrote past the caller's size");
  simcore_destroy(sim);
}

int main(void) {
  CHECK(simcore_abi_version() == SIMCORE_ABI_VERSION, "abi %u", simcore_abi_version());
  CHECK(strlen(simcore_version()) > 0, "no version");
  test_threads();
  test_errors();
  test_resolver();
  test_cancel();
  printf("capi tests: %d failure(s)\n", failures);
  return failures ? 1 : 0;
}
