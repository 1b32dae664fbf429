/*
 * C reference for the 'banks' benchmark of `npm run bench` (test/bench/banks.ts): the work of a
 * simulation bank of the SIR template, done by a C program, so that the engine's bank throughput
 * (worker pool + SQLite storage) can be read against what compiled C does on the same machine in
 * the same run.
 *
 * The same work, run by run, as src-main/jobs/bank-chunk.ts simulateBankChunk for one model:
 *   priors   rngFor(seed, r, 0) (STREAM_PRIOR); beta ~ LogNormal, gamma ~ LogNormal, phi_inv ~
 *            Exponential, in unknownParams order, with random/distributions.ts' samplers ported
 *            bit for bit: Doornik's ZIGNOR ziggurat normal (128 layers, the layer from the low bits
 *            of the two words), exponential by inversion of 1 − U
 *   solve    method auto (dopri5 with the stiffness test, then rodas) with the simulator's default
 *            tolerances (rtol 1e-8, atol 1e-10): ode_auto of simref.c, the line-by-line port
 *   noise    rngFor(seed, r, 1) (STREAM_SIMULATION); each output row: cases = I, negative binomial
 *            with dispersion 1/phi_inv as the gamma–Poisson mixture (Marsaglia–Tsang gamma, the
 *            shape < 1 boost in logs, Poisson by inversion below 10 and PTRS above), as noise.ts
 *            (count means within −1e-9 of 0 read as 0, below that the run fails)
 *   store    per chunk (default 5000 runs, as bank.create's default for 100 times × 1 observable):
 *            params float64 [n × 3], observations float32 [n × nTimes], model labels int32 [n],
 *            written with pwrite into one file at the chunk's offset; fdatasync at the end
 *   threads  `threads` pthreads take chunks from a shared counter (as the pool takes tasks)
 *
 * The solver, RNG, Poisson sampler and SIR right-hand side are those of simref.c (included, its
 * main renamed), so the simulators group and this one use one port.
 *
 * Protocol (stdin, "key value..." lines): runs N, threads T, chunk C, seed S, params 5 beta gamma
 * phi_inv N I0, priors 5 beta_mu beta_sigma gamma_mu gamma_sigma phi_rate, t0 T0, times n t...,
 * out PATH, verify K. stdout: one JSON object. Build: gcc -O3 -o bankref bankref.c -lm -lpthread.
 */
#define main simref_main
#include "simref.c"
#undef main

#include <fcntl.h>
#include <unistd.h>
#include <stdatomic.h>

/* ------------------------------------------------------------------------------------------- */
/* random/distributions.ts                                                                       */

#define ZIG_R 3.442619855899
#define ZIG_V 9.91256303526217e-3
static double ZIG_X[129], ZIG_RATIO[128];

static void zig_init(void) {
  double f = exp(-0.5 * ZIG_R * ZIG_R);
  ZIG_X[0] = ZIG_V / f;
  ZIG_X[1] = ZIG_R;
  ZIG_X[128] = 0;
  for (int i = 2; i < 128; i++) {
    ZIG_X[i] = sqrt(-2 * log(ZIG_V / ZIG_X[i - 1] + f));
    f = exp(-0.5 * ZIG_X[i] * ZIG_X[i]);
  }
  for (int i = 0; i < 128; i++) ZIG_RATIO[i] = ZIG_X[i + 1] / ZIG_X[i];
}

static inline double uniform_positive(Rng *r) { return 1 - rng_next(r); }

static double normal_tail(Rng *r, int negative) {
  double x, y;
  do {
    x = log(uniform_positive(r)) / ZIG_R;
    y = log(uniform_positive(r));
  } while (-2 * y < x * x);
  return negative ? x - ZIG_R : ZIG_R - x;
}

static double sample_std_normal(Rng *r) {
  for (;;) {
    const uint32_t a = rng_u32(r), b = rng_u32(r);
    const double u = ((double)(a >> 5) * 67108864.0 + (double)(b >> 6)) / 4503599627370496.0 - 1;
    const int i = (int)(((a & 31) << 2) | (b & 3));
    if (fabs(u) < ZIG_RATIO[i]) return u * ZIG_X[i];
    if (i == 0) return normal_tail(r, u < 0);
    const double x = u * ZIG_X[i];
    const double xi = ZIG_X[i], xi1 = ZIG_X[i + 1];
    const double f0 = exp(-0.5 * (xi * xi - x * x));
    const double f1 = exp(-0.5 * (xi1 * xi1 - x * x));
    if (f1 + rng_next(r) * (f0 - f1) < 1) return x;
  }
}

static double sample_lognormal(Rng *r, double mu, double sigma) { return exp(mu + sigma * sample_std_normal(r)); }
static double sample_exponential(Rng *r, double rate) { return -log(uniform_positive(r)) / rate; }

static double gamma_mt(Rng *r, double shape) {
  const double d = shape - 1.0 / 3, c = 1 / sqrt(9 * d);
  for (;;) {
    double x, v;
    do {
      x = sample_std_normal(r);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const double u = uniform_positive(r);
    const double x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (log(u) < 0.5 * x2 + d * (1 - v + log(v))) return d * v;
  }
}

static double sample_gamma(Rng *r, double shape, double rate) {
  if (shape >= 1) return gamma_mt(r, shape) / rate;
  const double g = gamma_mt(r, shape + 1);
  return exp(log(g) + log(uniform_positive(r)) / shape) / rate;
}

static double sample_negbinomial(Rng *r, double mean, double dispersion) {
  if (mean == 0) return 0;
  if (isinf(dispersion)) return sample_poisson(r, mean);
  return sample_poisson(r, sample_gamma(r, dispersion, 1) * (mean / dispersion));
}

/* ------------------------------------------------------------------------------------------- */
/* The bank.                                                                                     */

typedef struct {
  long runs, chunk, seed, verify;
  int threads, nt;
  double p[5], prior[5], t0;
  double times[MAXT];
  char out[4096];
} BankSpec;

static BankSpec bs;
static atomic_long next_chunk;
static atomic_long failed_total;
static int out_fd = -1;
static long chunk_bytes;

enum { NP = 3 };

/* Run r into params[3] and obs[nt]; returns 0, or 1 when the run failed (obs NaN). */
static int bank_run(long r, double *params, float *obs, double *states) {
  double p[5];
  memcpy(p, bs.p, sizeof p);
  const int64_t prior_path[2] = {r, 0};
  Rng rng = rng_for(bs.seed, 2, prior_path);
  p[0] = sample_lognormal(&rng, bs.prior[0], bs.prior[1]);
  p[1] = sample_lognormal(&rng, bs.prior[2], bs.prior[3]);
  p[2] = sample_exponential(&rng, bs.prior[4]);
  params[0] = p[0];
  params[1] = p[1];
  params[2] = p[2];
  double y[3];
  sir_init(p, y);
  OdeSystem sys = {3, sir_rhs, sir_jac, p, 1};
  OdeOptions o = {1e-8, 1e-10, 1000000, 0, INFINITY};
  Stats st = {0, 0, 0, 0, NAN};
  const int nt = bs.nt;
  int rc = ode_auto(&sys, bs.t0, y, bs.times[nt - 1], bs.times, 0, nt, states, &o, &st);
  if (rc != OK) goto fail;
  const int64_t sim_path[2] = {r, 1};
  Rng noise = rng_for(bs.seed, 2, sim_path);
  for (int k = 0; k < nt; k++) {
    double m = states[k * 3 + 1]; /* cases = I */
    const double dispersion = 1 / p[2];
    if (!isfinite(m)) goto fail;
    if (m < 0) {
      if (m >= -1e-9) m = 0;
      else goto fail;
    }
    if (!(dispersion > 0)) goto fail;
    obs[k] = (float)sample_negbinomial(&noise, m, dispersion);
  }
  return 0;
fail:
  for (int k = 0; k < nt; k++) obs[k] = NAN;
  return 1;
}

static void *bank_thread(void *arg) {
  (void)arg;
  const long chunk = bs.chunk;
  const int nt = bs.nt;
  char *buf = malloc(chunk_bytes);
  double *states = malloc(sizeof(double) * 3 * nt);
  for (;;) {
    const long c = atomic_fetch_add(&next_chunk, 1);
    const long from = c * chunk;
    if (from >= bs.runs) break;
    const long n = bs.runs - from < chunk ? bs.runs - from : chunk;
    double *params = (double *)buf;
    float *obs = (float *)(buf + sizeof(double) * NP * n);
    int32_t *labels = (int32_t *)(buf + sizeof(double) * NP * n + sizeof(float) * nt * n);
    long failed = 0;
    for (long i = 0; i < n; i++) {
      failed += bank_run(from + i, params + i * NP, obs + i * nt, states);
      labels[i] = 0;
    }
    atomic_fetch_add(&failed_total, failed);
    const size_t bytes = (sizeof(double) * NP + sizeof(float) * nt + sizeof(int32_t)) * n;
    size_t done = 0;
    while (done < bytes) {
      ssize_t w = pwrite(out_fd, buf + done, bytes - done, (off_t)(c * chunk_bytes + done));
      if (w <= 0) { perror("bankref: pwrite"); exit(2); }
      done += (size_t)w;
    }
  }
  free(states);
  free(buf);
  return NULL;
}

static int read_bank_spec(void) {
  char key[64];
  bs.runs = 10000;
  bs.chunk = 5000;
  bs.threads = 1;
  bs.seed = 1;
  bs.verify = 0;
  strcpy(bs.out, "/dev/null");
  while (scanf("%63s", key) == 1) {
    if (!strcmp(key, "runs")) { if (scanf("%ld", &bs.runs) != 1) return 0; }
    else if (!strcmp(key, "chunk")) { if (scanf("%ld", &bs.chunk) != 1) return 0; }
    else if (!strcmp(key, "threads")) { if (scanf("%d", &bs.threads) != 1) return 0; }
    else if (!strcmp(key, "seed")) { if (scanf("%ld", &bs.seed) != 1) return 0; }
    else if (!strcmp(key, "verify")) { if (scanf("%ld", &bs.verify) != 1) return 0; }
    else if (!strcmp(key, "t0")) { if (scanf("%lf", &bs.t0) != 1) return 0; }
    else if (!strcmp(key, "out")) { if (scanf("%4095s", bs.out) != 1) return 0; }
    else if (!strcmp(key, "params")) {
      int n;
      if (scanf("%d", &n) != 1 || n != 5) return 0;
      for (int i = 0; i < 5; i++) if (scanf("%lf", &bs.p[i]) != 1) return 0;
    } else if (!strcmp(key, "priors")) {
      int n;
      if (scanf("%d", &n) != 1 || n != 5) return 0;
      for (int i = 0; i < 5; i++) if (scanf("%lf", &bs.prior[i]) != 1) return 0;
    } else if (!strcmp(key, "times")) {
      if (scanf("%d", &bs.nt) != 1 || bs.nt > MAXT || bs.nt < 1) return 0;
      for (int i = 0; i < bs.nt; i++) if (scanf("%lf", &bs.times[i]) != 1) return 0;
    } else {
      fprintf(stderr, "bankref: unknown key %s\n", key);
      return 0;
    }
  }
  return bs.chunk > 0 && bs.runs > 0 && bs.threads > 0;
}

int main(void) {
  if (!read_bank_spec()) {
    fprintf(stderr, "bankref: bad spec on stdin\n");
    return 1;
  }
  zig_init();
  chunk_bytes = (long)((sizeof(double) * NP + sizeof(float) * bs.nt + sizeof(int32_t)) * bs.chunk);
  out_fd = open(bs.out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (out_fd < 0) { perror("bankref: open"); return 1; }
  atomic_store(&next_chunk, 0);
  atomic_store(&failed_total, 0);
  const int nth = bs.threads > 64 ? 64 : bs.threads;
  struct timespec c0;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
  const double t0 = now_s();
  pthread_t th[64];
  for (int i = 0; i < nth; i++) pthread_create(&th[i], NULL, bank_thread, NULL);
  for (int i = 0; i < nth; i++) pthread_join(th[i], NULL);
  if (strcmp(bs.out, "/dev/null") != 0) fdatasync(out_fd);
  close(out_fd);
  const double wall = now_s() - t0;
  struct timespec c1;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
  const double cpu = (c1.tv_sec - c0.tv_sec) + (c1.tv_nsec - c0.tv_nsec) * 1e-9;

  /* Verification: the first `verify` runs again, one thread, for the JS side to compare. */
  printf("{\"runs\":%ld,\"threads\":%d,\"seconds\":%.6f,\"cpuSeconds\":%.6f,\"rate\":%.6g,\"failed\":%ld,\"chunkBytes\":%ld",
         bs.runs, nth, wall, cpu, bs.runs / wall, (long)atomic_load(&failed_total), chunk_bytes);
  if (bs.verify > 0) {
    double params[NP];
    float *obs = malloc(sizeof(float) * bs.nt);
    double *states = malloc(sizeof(double) * 3 * bs.nt);
    printf(",\"verify\":[");
    for (long r = 0; r < bs.verify; r++) {
      bank_run(r, params, obs, states);
      printf("%s{\"params\":[%.17g,%.17g,%.17g],\"obs\":[", r ? "," : "", params[0], params[1], params[2]);
      for (int k = 0; k < bs.nt; k++) printf(k ? ",%.9g" : "%.9g", isnan(obs[k]) ? -1.0 : (double)obs[k]);
      printf("]}");
    }
    printf("]");
    free(obs);
    free(states);
  }
  printf("}\n");
  return 0;
}
