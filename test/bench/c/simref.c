/*
 * C reference for the simulator benchmarks of `npm run bench` (test/bench/simulators.ts).
 *
 * A line-by-line port of the engine's algorithms, so that the ratio JS/C measures the language and
 * the product's overhead, not a different algorithm:
 *   dopri5   src-main/simulate/ode/dopri5.ts (+ common.ts: HINIT, error norm, stiffness test)
 *   rodas    src-main/simulate/ode/rodas.ts  (METH = 1, Gustafsson controller, lu.ts)
 *   auto     src-main/simulate/ode/auto.ts   (dopri5 with stops, then rodas)
 *   ssa      src-main/simulate/ssa/direct.ts (Gillespie direct method, full propensity refresh)
 *   tau      src-main/simulate/ssa/tau-leap.ts (Cao–Gillespie–Petzold 2006) + samplePoisson
 *   rng      src-main/simulate/random/rng.ts (xoshiro128** seeded by rngFor(seed, ...path))
 * Right-hand sides, Jacobians and propensities are hand-written for the two benchmark models (SIR,
 * Robertson) with the same floating-point expressions as the code the model compiler generates,
 * so both sides take the same steps. Solvers call them through function pointers and take n at run
 * time, like Hairer's Fortran codes.
 *
 * Protocol: the benchmark spec comes on stdin as "key value..." lines (see read_spec), one JSON
 * object goes to stdout. Build: gcc -O3 -o simref simref.c -lm -lpthread.
 */
#define _GNU_SOURCE
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAXN 8
#define MAXR 8
#define MAXT 4096

/* ------------------------------------------------------------------------------------------- */
/* JS Math.min / Math.max semantics (NaN propagates; fmin/fmax would drop it).                  */

static inline double jmin(double a, double b) { return (a != a || b != b) ? NAN : (a < b ? a : b); }
static inline double jmax(double a, double b) { return (a != a || b != b) ? NAN : (a > b ? a : b); }

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ------------------------------------------------------------------------------------------- */
/* RNG: xoshiro128** and rngFor, bit for bit as rng.ts.                                          */

typedef struct { uint32_t s0, s1, s2, s3; } Rng;

static inline uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

static inline uint32_t rng_u32(Rng *r) {
  uint32_t s1 = r->s1;
  uint32_t result = rotl(s1 * 5, 7) * 9;
  uint32_t t = s1 << 9;
  r->s2 ^= r->s0;
  r->s3 ^= s1;
  r->s1 = s1 ^ r->s2;
  r->s0 ^= r->s3;
  r->s2 ^= t;
  r->s3 = rotl(r->s3, 11);
  return result;
}

/* Uniform double in [0, 1): 27 high bits of one output and 26 of the next. */
static inline double rng_next(Rng *r) {
  uint32_t a = rng_u32(r) >> 5;
  uint32_t b = rng_u32(r) >> 6;
  return ((double)a * 67108864.0 + (double)b) / 9007199254740992.0;
}

static uint32_t fmix32(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

/* rngFor(seed, ...path) for integer seed/path entries (|x| < 2^53). */
static Rng rng_for(int64_t seed, int npath, const int64_t *path) {
  uint32_t h[4] = {0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u};
#define ABSORB(w) do { uint32_t w_ = (uint32_t)(w); for (int l = 0; l < 4; l++) h[l] = fmix32(h[l] ^ w_); } while (0)
  ABSORB(npath);
  ABSORB((uint64_t)seed & 0xffffffffu);
  ABSORB((int64_t)floor((double)seed / 4294967296.0));
  for (int i = 0; i < npath; i++) {
    int64_t p = path[i];
    int64_t hi = (int64_t)floor((double)p / 4294967296.0);
    ABSORB((uint64_t)(p - hi * 4294967296LL) & 0xffffffffu);
    ABSORB(hi);
  }
#undef ABSORB
  h[1] ^= fmix32(h[0]);
  h[2] ^= fmix32(h[1]);
  h[3] ^= fmix32(h[2]);
  h[0] ^= fmix32(h[3]);
  Rng r = {h[0], h[1], h[2], h[3]};
  if ((r.s0 | r.s1 | r.s2 | r.s3) == 0) r.s0 = 1;
  return r;
}

/* ------------------------------------------------------------------------------------------- */
/* ODE systems and options.                                                                      */

typedef struct { long steps, rejected, fEvals, jacEvals; double switchedAt; } Stats;
typedef struct { double rtol, atol; long maxSteps; double h0, hmax; } OdeOptions;
typedef void (*RhsFn)(double t, const double *y, const double *p, double *dydt);
typedef void (*JacFn)(double t, const double *y, const double *p, double *J);
typedef struct { int n; RhsFn f; JacFn jac; const double *p; int autonomous; } OdeSystem;

enum { OK = 0, ERR_STEPS = -1, ERR_UNDERFLOW = -2, ERR_NONFINITE = -3, ERR_SINGULAR = -4, ERR_ARGS = -5 };

/* Hairer's HINIT (common.ts initialStep). */
static double initial_step(const OdeSystem *sys, double t, const double *y, const double *f0, double *y1, double *f1,
                           int iord, double hmax, double atol, double rtol) {
  int n = sys->n;
  double dnf = 0, dny = 0;
  for (int i = 0; i < n; i++) {
    double sk = atol + rtol * fabs(y[i]);
    double a = f0[i] / sk, b = y[i] / sk;
    dnf += a * a;
    dny += b * b;
  }
  double h = dnf <= 1e-10 || dny <= 1e-10 ? 1e-6 : sqrt(dny / dnf) * 0.01;
  h = jmin(h, hmax);
  for (int i = 0; i < n; i++) y1[i] = y[i] + h * f0[i];
  sys->f(t + h, y1, sys->p, f1);
  double der2 = 0;
  for (int i = 0; i < n; i++) {
    double sk = atol + rtol * fabs(y[i]);
    double a = (f1[i] - f0[i]) / sk;
    der2 += a * a;
  }
  der2 = sqrt(der2) / h;
  double der12 = jmax(fabs(der2), sqrt(dnf));
  double h1 = der12 <= 1e-15 || !isfinite(der12) ? jmax(1e-6, h * 1e-3) : pow(0.01 / der12, 1.0 / iord);
  return jmin(jmin(100 * h, h1), hmax);
}

static int finite_vec(int n, const double *v) {
  for (int i = 0; i < n; i++) if (!isfinite(v[i])) return 0;
  return 1;
}

static int write_outputs_at_start(int n, double t0, const double *y, const double *times, int kFrom, int kTo, double *out) {
  int k = kFrom;
  while (k < kTo && times[k] <= t0) {
    memcpy(out + (size_t)k * n, y, n * sizeof(double));
    k++;
  }
  return k;
}

/* ------------------------------------------------------------------------------------------- */
/* Dormand–Prince 5(4), dopri5.ts.                                                               */

static const double SAFE = 0.9, FAC1 = 0.2, FAC2 = 10, BETA = 0.04, UROUND = 2.3e-16;
/* log(1e-4), as dopri5.ts's LOG_1E_4 = Math.log(1e-4); set in main() (the same double either way). */
static double LOG_1E_4;
static const double STIFF_HRHO = 3.25;
static const int STIFF_COUNT = 15, NONSTIFF_RESET = 6;

static const double C2 = 0.2, C3 = 0.3, C4 = 0.8, C5 = 8.0 / 9;
static const double A21 = 0.2;
static const double A31 = 3.0 / 40, A32 = 9.0 / 40;
static const double A41 = 44.0 / 45, A42 = -56.0 / 15, A43 = 32.0 / 9;
static const double A51 = 19372.0 / 6561, A52 = -25360.0 / 2187, A53 = 64448.0 / 6561, A54 = -212.0 / 729;
static const double A61 = 9017.0 / 3168, A62 = -355.0 / 33, A63 = 46732.0 / 5247, A64 = 49.0 / 176, A65 = -5103.0 / 18656;
static const double A71 = 35.0 / 384, A73 = 500.0 / 1113, A74 = 125.0 / 192, A75 = -2187.0 / 6784, A76 = 11.0 / 84;
static const double E1 = 71.0 / 57600, E3 = -71.0 / 16695, E4 = 71.0 / 1920, E5 = -17253.0 / 339200, E6 = 22.0 / 525, E7 = -1.0 / 40;
static const double D1 = -12715105075.0 / 11282082432.0, D3 = 87487479700.0 / 32700410799.0, D4 = -10690763975.0 / 1880347072.0,
                    D5 = 701980252875.0 / 199316789632.0, D6 = -1453857185.0 / 822651844.0, D7 = 69997945.0 / 29380423.0;

typedef struct { int stopWhenStiff; long stopAfterSteps; int stopOnUnderflow; } Dopri5Control;
enum { DONE = 0, STIFF = 1, STEP_LIMIT = 2, UNDERFLOW = 3 };
typedef struct { int reason; double t; int kNext; double h; long attempts; } Dopri5Outcome;

static int dopri5_integrate(const OdeSystem *sys, double t0, double *y, double t1, const double *times, int kFrom, int kTo,
                            double *out, const OdeOptions *o, Stats *st, const Dopri5Control *ctl, Dopri5Outcome *res) {
  const int n = sys->n;
  if (n > MAXN || !(t1 >= t0) || !finite_vec(n, y)) return ERR_ARGS;
  int kNext = write_outputs_at_start(n, t0, y, times, kFrom, kTo, out);
  if (t1 == t0 || n == 0) {
    for (; kNext < kTo; kNext++) memcpy(out + (size_t)kNext * n, y, n * sizeof(double));
    *res = (Dopri5Outcome){DONE, t1, kNext, 0, 0};
    return OK;
  }
  double w[14][MAXN];
  double *k1 = w[0], *k2 = w[1], *k3 = w[2], *k4 = w[3], *k5 = w[4], *k6 = w[5], *k7 = w[6];
  double *ystage = w[7], *y6 = w[8], *ynew = w[9];
  double *r1 = w[10], *r2 = w[11], *r3 = w[12], *r4 = w[13];
  const double rtol = o->rtol, atol = o->atol;
  const double expo1 = 0.2 - BETA * 0.75, facc1 = 1 / FAC1, facc2 = 1 / FAC2;
  const double hmax = jmin(o->hmax, t1 - t0);
  const long attemptLimit = o->maxSteps < ctl->stopAfterSteps ? o->maxSteps : ctl->stopAfterSteps;
  const int detectStiff = ctl->stopWhenStiff;

  double t = t0;
  sys->f(t, y, sys->p, k1);
  st->fEvals++;
  if (!finite_vec(n, k1)) return ERR_NONFINITE;
  double h;
  if (o->h0 > 0) {
    h = jmin(o->h0, hmax);
  } else {
    h = initial_step(sys, t, y, k1, ystage, k2, 5, hmax, atol, rtol);
    st->fEvals++;
  }
  double facold = 1e-4, logFacold = LOG_1E_4;
  int reject = 0, last = 0;
  long attempts = 0;
  int iasti = 0, nonsti = 0;

  for (;;) {
    if (attempts >= attemptLimit) {
      if (attempts >= o->maxSteps) return ERR_STEPS;
      *res = (Dopri5Outcome){STEP_LIMIT, t, kNext, h, attempts};
      return OK;
    }
    if (0.1 * fabs(h) <= fabs(t) * UROUND || !(h > 0)) {
      if (ctl->stopOnUnderflow) {
        *res = (Dopri5Outcome){UNDERFLOW, t, kNext, h, attempts};
        return OK;
      }
      return ERR_UNDERFLOW;
    }
    if (t + 1.01 * h - t1 > 0) {
      h = t1 - t;
      last = 1;
    }
    attempts++;

    for (int i = 0; i < n; i++) ystage[i] = y[i] + h * A21 * k1[i];
    sys->f(t + C2 * h, ystage, sys->p, k2);
    for (int i = 0; i < n; i++) ystage[i] = y[i] + h * (A31 * k1[i] + A32 * k2[i]);
    sys->f(t + C3 * h, ystage, sys->p, k3);
    for (int i = 0; i < n; i++) ystage[i] = y[i] + h * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
    sys->f(t + C4 * h, ystage, sys->p, k4);
    for (int i = 0; i < n; i++) ystage[i] = y[i] + h * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
    sys->f(t + C5 * h, ystage, sys->p, k5);
    for (int i = 0; i < n; i++) y6[i] = y[i] + h * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
    const double tph = last ? t1 : t + h;
    sys->f(tph, y6, sys->p, k6);
    for (int i = 0; i < n; i++) ynew[i] = y[i] + h * (A71 * k1[i] + A73 * k3[i] + A74 * k4[i] + A75 * k5[i] + A76 * k6[i]);
    sys->f(tph, ynew, sys->p, k7);
    st->fEvals += 6;

    double sum = 0;
    for (int i = 0; i < n; i++) {
      double sk = atol + rtol * jmax(fabs(y[i]), fabs(ynew[i]));
      double e = h * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]) / sk;
      sum += e * e + (k7[i] * 0 + ynew[i] * 0);
    }
    double err = sqrt(sum / n);
    if (!(err <= INFINITY)) err = INFINITY;

    const double logErr = log(err);
    double hnew;

    if (err <= 1) {
      double fac = jmax(facc2, jmin(facc1, exp(expo1 * logErr - BETA * logFacold) / SAFE));
      hnew = h / fac;
      facold = jmax(err, 1e-4);
      logFacold = facold == err ? logErr : LOG_1E_4;
      st->steps++;
      int stiff = 0;
      if (detectStiff) {
        double stnum = 0, stden = 0;
        for (int i = 0; i < n; i++) {
          double a = k7[i] - k6[i], b = ynew[i] - y6[i];
          stnum += a * a;
          stden += b * b;
        }
        if (stden > 0) {
          if (h * sqrt(stnum / stden) > STIFF_HRHO) {
            nonsti = 0;
            iasti++;
            if (iasti == STIFF_COUNT) stiff = 1;
          } else {
            nonsti++;
            if (nonsti == NONSTIFF_RESET) iasti = 0;
          }
        }
      }
      if (kNext < kTo && times[kNext] <= tph) {
        int s0 = kNext;
        while (kNext < kTo && times[kNext] <= tph) kNext++;
        for (int i = 0; i < n; i++) {
          double ydiff = ynew[i] - y[i];
          double bspl = h * k1[i] - ydiff;
          r1[i] = ydiff;
          r2[i] = bspl;
          r3[i] = ydiff - h * k7[i] - bspl;
          r4[i] = h * (D1 * k1[i] + D3 * k3[i] + D4 * k4[i] + D5 * k5[i] + D6 * k6[i] + D7 * k7[i]);
        }
        for (int k = s0; k < kNext; k++) {
          double *row = out + (size_t)k * n;
          if (times[k] == tph) {
            memcpy(row, ynew, n * sizeof(double));
            continue;
          }
          double s = (times[k] - t) / h, s1 = 1 - s;
          for (int i = 0; i < n; i++) row[i] = y[i] + s * (r1[i] + s1 * (r2[i] + s * (r3[i] + s1 * r4[i])));
        }
      }
      memcpy(y, ynew, n * sizeof(double));
      double *tmp = k1;
      k1 = k7;
      k7 = tmp;
      t = tph;
      if (last) {
        *res = (Dopri5Outcome){DONE, t, kNext, hnew, attempts};
        return OK;
      }
      if (fabs(hnew) > hmax) hnew = hmax;
      if (reject) hnew = jmin(hnew, h);
      reject = 0;
      if (stiff) {
        *res = (Dopri5Outcome){STIFF, t, kNext, hnew, attempts};
        return OK;
      }
    } else {
      double fac11 = exp(expo1 * logErr);
      hnew = h / jmin(facc1, fac11 / SAFE);
      reject = 1;
      last = 0;
      st->rejected++;
    }
    h = hnew;
  }
}

static int dopri5(const OdeSystem *sys, double t0, double *y, double t1, const double *times, int kFrom, int kTo,
                  double *out, const OdeOptions *o, Stats *st) {
  static const Dopri5Control none = {0, 1L << 62, 0};
  Dopri5Outcome res;
  return dopri5_integrate(sys, t0, y, t1, times, kFrom, kTo, out, o, st, &none, &res);
}

/* ------------------------------------------------------------------------------------------- */
/* LU with partial pivoting (lu.ts: LAPACK getrf/getrs, unblocked), row-major.                   */

static int lu_factor(double *a, int n, int *piv) {
  for (int k = 0; k < n; k++) {
    int p = k;
    double pmax = fabs(a[k * n + k]);
    for (int i = k + 1; i < n; i++) {
      double v = fabs(a[i * n + k]);
      if (v > pmax) {
        pmax = v;
        p = i;
      }
    }
    piv[k] = p;
    if (!(pmax > 0)) return 0;
    if (p != k) {
      for (int j = 0; j < n; j++) {
        double tmp = a[k * n + j];
        a[k * n + j] = a[p * n + j];
        a[p * n + j] = tmp;
      }
    }
    const int rk = k * n;
    double inv = 1 / a[rk + k];
    for (int i = k + 1; i < n; i++) {
      const int ri = i * n;
      double l = a[ri + k] * inv;
      a[ri + k] = l;
      if (l != 0) for (int j = k + 1; j < n; j++) a[ri + j] -= l * a[rk + j];
    }
  }
  return 1;
}

static void lu_solve(const double *a, int n, const int *piv, double *b) {
  for (int k = 0; k < n; k++) {
    int p = piv[k];
    if (p != k) {
      double tmp = b[k];
      b[k] = b[p];
      b[p] = tmp;
    }
  }
  for (int i = 1; i < n; i++) {
    double s = b[i];
    for (int j = 0; j < i; j++) s -= a[i * n + j] * b[j];
    b[i] = s;
  }
  for (int i = n - 1; i >= 0; i--) {
    double s = b[i];
    for (int j = i + 1; j < n; j++) s -= a[i * n + j] * b[j];
    b[i] = s / a[i * n + i];
  }
}

/* ------------------------------------------------------------------------------------------- */
/* RODAS (METH = 1), rodas.ts.                                                                   */

static const double R_SAFE = 0.9, R_FAC1 = 0.2, R_FAC2 = 6, R_FACREJ = 0.1, R_UROUND = 1e-16, R_GAMMA = 0.25;
static const int R_MAXSINGULAR = 5;
static const double RC2 = 0.386, RC3 = 0.21, RC4 = 0.63;
static const double RD1 = 0.25, RD2 = -0.1043, RD3 = 0.1035, RD4 = -0.3620000000000023e-1;
static const double RA21 = 0.1544e1;
static const double RA31 = 0.9466785280815826, RA32 = 0.2557011698983284;
static const double RA41 = 0.3314825187068521e1, RA42 = 0.2896124015972201e1, RA43 = 0.9986419139977817;
static const double RA51 = 0.1221224509226641e1, RA52 = 0.6019134481288629e1, RA53 = 0.1253708332932087e2, RA54 = -0.6878860361058950;
static const double RC21 = -0.56688e1;
static const double RC31 = -0.2430093356833875e1, RC32 = -0.2063599157091915;
static const double RC41 = -0.1073529058151375, RC42 = -0.9594562251023355e1, RC43 = -0.2047028614809616e2;
static const double RC51 = 0.7496443313967647e1, RC52 = -0.1024680431464352e2, RC53 = -0.3399990352819905e2, RC54 = 0.1170890893206160e2;
static const double RC61 = 0.8083246795921522e1, RC62 = -0.7981132988064893e1, RC63 = -0.3152159432874371e2, RC64 = 0.1631930543123136e2,
                    RC65 = -0.6058818238834054e1;
static const double RD21 = 0.1012623508344586e2, RD22 = -0.7487995877610167e1, RD23 = -0.3480091861555747e2, RD24 = -0.7992771707568823e1,
                    RD25 = 0.1025137723295662e1;
static const double RD31 = -0.6762803392801253, RD32 = 0.6087714651680015e1, RD33 = 0.1643084320892478e2, RD34 = 0.2476722511418386e2,
                    RD35 = -0.6594389125716872e1;

static void rodas_jacobian(const OdeSystem *sys, double t, double *y, const double *f0, double *jac, double *scratch, Stats *st) {
  const int n = sys->n;
  st->jacEvals++;
  if (sys->jac) {
    sys->jac(t, y, sys->p, jac);
    return;
  }
  for (int j = 0; j < n; j++) {
    double ysafe = y[j];
    double delt = sqrt(R_UROUND * jmax(1e-5, fabs(ysafe)));
    y[j] = ysafe + delt;
    sys->f(t, y, sys->p, scratch);
    y[j] = ysafe;
    for (int i = 0; i < n; i++) jac[i * n + j] = (scratch[i] - f0[i]) / delt;
  }
  st->fEvals += n;
}

static int rodas(const OdeSystem *sys, double t0, double *y, double t1, const double *times, int kFrom, int kTo,
                 double *out, const OdeOptions *o, Stats *st) {
  const int n = sys->n;
  if (n > MAXN || !(t1 >= t0) || !finite_vec(n, y)) return ERR_ARGS;
  int kNext = write_outputs_at_start(n, t0, y, times, kFrom, kTo, out);
  if (t1 == t0 || n == 0) {
    for (; kNext < kTo; kNext++) memcpy(out + (size_t)kNext * n, y, n * sizeof(double));
    return OK;
  }
  double w[11][MAXN], jac[MAXN * MAXN], e[MAXN * MAXN];
  int piv[MAXN];
  double *dy1 = w[0], *dy = w[1], *ft = w[2], *ystage = w[3], *ynew = w[4];
  double *k1 = w[5], *k2 = w[6], *k3 = w[7], *k4 = w[8], *k5 = w[9], *k6 = w[10];
  const double rtol = o->rtol, atol = o->atol;
  const double facMax = 1 / R_FAC1, facMin = 1 / R_FAC2;
  const double hmax = jmin(o->hmax, t1 - t0);
  const int autonomous = sys->autonomous;

  double t = t0, h;
  int haveDy1 = 0;
  if (o->h0 > 0) {
    h = jmin(o->h0, hmax);
  } else {
    sys->f(t, y, sys->p, dy1);
    if (!finite_vec(n, dy1)) return ERR_NONFINITE;
    h = initial_step(sys, t, y, dy1, ystage, dy, 4, hmax, atol, rtol);
    st->fEvals += 2;
    haveDy1 = 1;
  }
  for (int i = 0; i < n; i++) ft[i] = 0;

  int reject = 0, reject2 = 0, last = 0, firstAccepted = 1;
  double hacc = 0, erracc = 0;
  long attempts = 0;

  for (;;) {
    if (t + h * 1.0001 - t1 >= 0) {
      h = t1 - t;
      last = 1;
    }
    if (!haveDy1) {
      sys->f(t, y, sys->p, dy1);
      st->fEvals++;
      if (!finite_vec(n, dy1)) return ERR_NONFINITE;
    }
    haveDy1 = 0;
    rodas_jacobian(sys, t, y, dy1, jac, dy, st);
    if (!autonomous) {
      double delt = sqrt(R_UROUND * jmax(1e-5, fabs(t)));
      sys->f(t + delt, y, sys->p, dy);
      st->fEvals++;
      for (int i = 0; i < n; i++) ft[i] = (dy[i] - dy1[i]) / delt;
    }

    int singular = 0;
    for (;;) {
      if (attempts >= o->maxSteps) return ERR_STEPS;
      if (0.1 * fabs(h) <= fabs(t) * R_UROUND || !(h > 0)) return ERR_UNDERFLOW;
      attempts++;

      const double fac = 1 / (h * R_GAMMA);
      for (int i = 0; i < n * n; i++) e[i] = -jac[i];
      for (int i = 0; i < n; i++) e[i * n + i] += fac;
      if (!lu_factor(e, n, piv)) {
        singular++;
        if (singular >= R_MAXSINGULAR) return ERR_SINGULAR;
        h *= 0.5;
        reject = 1;
        last = 0;
        continue;
      }

      const double tph = last ? t1 : t + h;
      const double hc21 = RC21 / h, hc31 = RC31 / h, hc32 = RC32 / h;
      const double hc41 = RC41 / h, hc42 = RC42 / h, hc43 = RC43 / h;
      const double hc51 = RC51 / h, hc52 = RC52 / h, hc53 = RC53 / h, hc54 = RC54 / h;
      const double hc61 = RC61 / h, hc62 = RC62 / h, hc63 = RC63 / h, hc64 = RC64 / h, hc65 = RC65 / h;
      const double hd1 = h * RD1, hd2 = h * RD2, hd3 = h * RD3, hd4 = h * RD4;

      for (int i = 0; i < n; i++) k1[i] = dy1[i] + hd1 * ft[i];
      lu_solve(e, n, piv, k1);
      for (int i = 0; i < n; i++) ystage[i] = y[i] + RA21 * k1[i];
      sys->f(t + RC2 * h, ystage, sys->p, dy);
      for (int i = 0; i < n; i++) k2[i] = dy[i] + hd2 * ft[i] + hc21 * k1[i];
      lu_solve(e, n, piv, k2);
      for (int i = 0; i < n; i++) ystage[i] = y[i] + RA31 * k1[i] + RA32 * k2[i];
      sys->f(t + RC3 * h, ystage, sys->p, dy);
      for (int i = 0; i < n; i++) k3[i] = dy[i] + hd3 * ft[i] + (hc31 * k1[i] + hc32 * k2[i]);
      lu_solve(e, n, piv, k3);
      for (int i = 0; i < n; i++) ystage[i] = y[i] + RA41 * k1[i] + RA42 * k2[i] + RA43 * k3[i];
      sys->f(t + RC4 * h, ystage, sys->p, dy);
      for (int i = 0; i < n; i++) k4[i] = dy[i] + hd4 * ft[i] + (hc41 * k1[i] + hc42 * k2[i] + hc43 * k3[i]);
      lu_solve(e, n, piv, k4);
      for (int i = 0; i < n; i++) ystage[i] = y[i] + RA51 * k1[i] + RA52 * k2[i] + RA53 * k3[i] + RA54 * k4[i];
      sys->f(tph, ystage, sys->p, dy);
      for (int i = 0; i < n; i++) k5[i] = dy[i] + (hc51 * k1[i] + hc52 * k2[i] + hc53 * k3[i] + hc54 * k4[i]);
      lu_solve(e, n, piv, k5);
      for (int i = 0; i < n; i++) ystage[i] += k5[i];
      sys->f(tph, ystage, sys->p, dy);
      for (int i = 0; i < n; i++) k6[i] = dy[i] + (hc61 * k1[i] + hc62 * k2[i] + hc63 * k3[i] + hc64 * k4[i] + hc65 * k5[i]);
      lu_solve(e, n, piv, k6);
      for (int i = 0; i < n; i++) ynew[i] = ystage[i] + k6[i];
      st->fEvals += 5;

      double sum = 0;
      for (int i = 0; i < n; i++) {
        double sk = atol + rtol * jmax(fabs(y[i]), fabs(ynew[i]));
        double r = k6[i] / sk;
        sum += r * r + ynew[i] * 0;
      }
      double err = sqrt(sum / n);
      if (!(err <= INFINITY)) err = INFINITY;

      double facStep = jmax(facMin, jmin(facMax, sqrt(sqrt(err)) / R_SAFE));
      double hnew = h / facStep;

      if (err <= 1) {
        st->steps++;
        if (!firstAccepted) {
          double facgus = (hacc / h) * sqrt(sqrt(err * err / erracc)) / R_SAFE;
          facgus = jmax(facMin, jmin(facMax, facgus));
          facStep = jmax(facStep, facgus);
          hnew = h / facStep;
        }
        firstAccepted = 0;
        hacc = h;
        erracc = jmax(1e-2, err);

        if (kNext < kTo && times[kNext] <= tph) {
          int s0 = kNext;
          while (kNext < kTo && times[kNext] <= tph) kNext++;
          for (int k = s0; k < kNext; k++) {
            double *row = out + (size_t)k * n;
            if (times[k] == tph) {
              memcpy(row, ynew, n * sizeof(double));
              continue;
            }
            double s = (times[k] - t) / h, s1 = 1 - s;
            for (int i = 0; i < n; i++) {
              double q1 = RD21 * k1[i] + RD22 * k2[i] + RD23 * k3[i] + RD24 * k4[i] + RD25 * k5[i];
              double q2 = RD31 * k1[i] + RD32 * k2[i] + RD33 * k3[i] + RD34 * k4[i] + RD35 * k5[i];
              row[i] = y[i] * s1 + s * (ynew[i] + s1 * (q1 + s * q2));
            }
          }
        }
        memcpy(y, ynew, n * sizeof(double));
        t = tph;
        if (last) return OK;
        if (hnew > hmax) hnew = hmax;
        if (reject) hnew = jmin(hnew, h);
        reject = 0;
        reject2 = 0;
        h = hnew;
        break;
      }
      if (reject2) hnew = h * R_FACREJ;
      if (reject) reject2 = 1;
      reject = 1;
      last = 0;
      st->rejected++;
      h = hnew;
    }
  }
}

/* auto.ts: dopri5 with Hairer's stiffness test, then rodas for the rest. */
static int ode_auto(const OdeSystem *sys, double t0, double *y, double t1, const double *times, int kFrom, int kTo,
                    double *out, const OdeOptions *o, Stats *st) {
  static const Dopri5Control explicitPhase = {1, 100000, 1};
  Dopri5Outcome r;
  int rc = dopri5_integrate(sys, t0, y, t1, times, kFrom, kTo, out, o, st, &explicitPhase, &r);
  if (rc != OK || r.reason == DONE) return rc;
  if (isnan(st->switchedAt)) st->switchedAt = r.t;
  OdeOptions rest = *o;
  rest.h0 = r.reason == UNDERFLOW ? 0 : r.h;
  rest.maxSteps = o->maxSteps - r.attempts;
  return rodas(sys, r.t, y, t1, times, r.kNext, kTo, out, &rest, st);
}

typedef int (*OdeSolve)(const OdeSystem *, double, double *, double, const double *, int, int, double *, const OdeOptions *, Stats *);

/* ------------------------------------------------------------------------------------------- */
/* Models: the same expressions (and evaluation order) as compileModel's generated code.         */

/* SIR, p = [beta, gamma, phi_inv, N, I0] (paramIds order), y = [S, I, R]. */
static void sir_rhs(double t, const double *y, const double *p, double *dydt) {
  (void)t;
  const double f0 = ((p[0] * y[0]) * y[1]) / p[3];
  const double f1 = p[1] * y[1];
  dydt[0] = -f0;
  dydt[1] = f0 - f1;
  dydt[2] = f1;
}
static void sir_jac(double t, const double *y, const double *p, double *J) {
  (void)t;
  memset(J, 0, 9 * sizeof(double));
  const double g0_0 = (p[0] * y[1]) / p[3], g0_1 = (p[0] * y[0]) / p[3], g1_1 = p[1];
  J[0] = -g0_0;
  J[1] = -g0_1;
  J[3] = g0_0;
  J[4] = g0_1 - g1_1;
  J[7] = g1_1;
}
static void sir_init(const double *p, double *y) {
  y[0] = p[3] - p[4];
  y[1] = p[4];
  y[2] = 0;
}
static void sir_prop(double t, const double *y, const double *p, double *a) {
  (void)t;
  a[0] = ((p[0] * y[0]) * y[1]) / p[3];
  a[1] = p[1] * y[1];
}

/* Robertson, p = [k1, k2, k3, A0], y = [A, B, C]. */
static void rober_rhs(double t, const double *y, const double *p, double *dydt) {
  (void)t;
  const double f0 = p[0] * y[0];
  const double f1 = p[1] * (y[1] * y[1]);
  const double f2 = (p[2] * y[1]) * y[2];
  dydt[0] = f2 - f0;
  dydt[1] = (f0 - f1) - f2;
  dydt[2] = f1;
}
static void rober_jac(double t, const double *y, const double *p, double *J) {
  (void)t;
  memset(J, 0, 9 * sizeof(double));
  const double g0_0 = p[0], g1_1 = p[1] * (2 * y[1]), g2_1 = p[2] * y[2], g2_2 = p[2] * y[1];
  J[0] = -g0_0;
  J[1] = g2_1;
  J[2] = g2_2;
  J[3] = g0_0;
  J[4] = (-g1_1) - g2_1;
  J[5] = -g2_2;
  J[7] = g1_1;
}
static void rober_init(const double *p, double *y) {
  y[0] = p[3];
  y[1] = 0;
  y[2] = 0;
}

/* ------------------------------------------------------------------------------------------- */
/* Stochastic simulation: direct.ts and tau-leap.ts.                                            */

typedef void (*PropFn)(double t, const double *y, const double *p, double *a);
typedef struct {
  int nState, nReactions;
  PropFn prop;
  const double *p;
  /* reaction j changes stoIndex[j][0..stoLen[j]) by stoDelta; reactants (for tau) likewise */
  int stoLen[MAXR], stoIndex[MAXR][MAXN];
  double stoDelta[MAXR][MAXN];
  int reLen[MAXR], reIndex[MAXR][MAXN];
  double reOrder[MAXR][MAXN];
} ReactionSystem;

typedef struct { double t; int k; long steps; } SsaCursor;

static inline void write_row(const double *y, int n, double *out, int k) {
  for (int i = 0; i < n; i++) out[(size_t)k * n + i] = y[i];
}
static inline void apply_reaction(const ReactionSystem *s, double *y, int j, double times) {
  for (int e = 0; e < s->stoLen[j]; e++) y[s->stoIndex[j][e]] += times * s->stoDelta[j][e];
}
static inline int total_propensity(const ReactionSystem *s, const double *a, double *a0out) {
  double a0 = 0;
  for (int j = 0; j < s->nReactions; j++) {
    double aj = a[j];
    if (!(aj >= 0 && aj < INFINITY)) return ERR_NONFINITE;
    a0 += aj;
  }
  *a0out = a0;
  return OK;
}

/* directSteps: returns 1 when t1 was reached, 0 after maxEvents events, < 0 on error. */
static int direct_steps(const ReactionSystem *s, SsaCursor *cur, double *y, double t1, const double *times, int kTo, double *out,
                        Rng *rng, Stats *st, double *a, long maxEvents, long maxSteps) {
  const int n = s->nState, nr = s->nReactions;
  double t = cur->t;
  int k = cur->k;
  for (long e = 0; e < maxEvents; e++) {
    s->prop(t, y, s->p, a);
    st->fEvals++;
    double a0;
    if (total_propensity(s, a, &a0) != OK) return ERR_NONFINITE;
    const double tNext = a0 > 0 ? t - log(1 - rng_next(rng)) / a0 : INFINITY;
    while (k < kTo && times[k] < tNext) write_row(y, n, out, k++);
    if (tNext > t1) {
      cur->t = t1;
      cur->k = k;
      return 1;
    }
    double r = rng_next(rng) * a0;
    int j = 0;
    for (; j < nr - 1; j++) {
      r -= a[j];
      if (r < 0) break;
    }
    while (a[j] == 0) j--;
    apply_reaction(s, y, j, 1);
    t = tNext;
    st->steps++;
    if (++cur->steps > maxSteps) return ERR_STEPS;
  }
  cur->t = t;
  cur->k = k;
  return 0;
}

static int ssa_direct(const ReactionSystem *s, double t0, double *y, double t1, const double *times, int kFrom, int kTo,
                      double *out, Rng *rng, Stats *st) {
  double a[MAXR];
  SsaCursor cur = {t0, kFrom, 0};
  int rc = direct_steps(s, &cur, y, t1, times, kTo, out, rng, st, a, 1L << 62, 100000000L);
  return rc < 0 ? rc : OK;
}

/* lgamma as special.ts computes it would be needed for bit-identical PTRS acceptance in its rare
 * slow branch; libm's lgamma differs from it by rounding only, which can flip an acceptance test
 * with probability ~1e-15 per draw. */
static long poisson_ptrs(Rng *rng, double lam) {
  const double slam = sqrt(lam);
  double loglam = NAN; /* only the rare slow branch needs it, as in distributions.ts */
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const double u = rng_next(rng) - 0.5;
    const double v = rng_next(rng);
    const double us = 0.5 - fabs(u);
    const double k = floor((2 * a / us + b) * u + lam + 0.43);
    if (us >= 0.07 && v <= vr) return (long)k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (loglam != loglam) loglam = log(lam);
    if (log(v) + log(invalpha) - log(a / (us * us) + b) <= -lam + k * loglam - lgamma(k + 1)) return (long)k;
  }
}

static double sample_poisson(Rng *rng, double mean) {
  if (mean >= 10) return (double)poisson_ptrs(rng, mean);
  if (mean == 0) return 0;
  const double p0 = exp(-mean);
  for (;;) {
    int k = 0;
    double p = p0, u = rng_next(rng);
    while (u > p && k <= 200) {
      u -= p;
      k++;
      p *= mean / k;
    }
    if (k <= 200) return k;
  }
}

static double g_factor(double hor, double mult, double x) {
  if (hor <= 1) return 1;
  if (hor == 2) return mult >= 2 ? 2 + 1 / (x - 1) : 2;
  if (hor == 3) {
    if (mult >= 3) return 3 + 1 / (x - 1) + 2 / (x - 2);
    if (mult >= 2) return 1.5 * (2 + 1 / (x - 1));
    return 3;
  }
  return hor;
}

typedef struct { double epsilon, nCritical, ssaThreshold; long ssaBurst, maxSteps; } TauOptions;

static int tau_leap(const ReactionSystem *s, double t0, double *y, double t1, const double *times, int kFrom, int kTo,
                    double *out, Rng *rng, Stats *st, const TauOptions *o) {
  const int n = s->nState, nr = s->nReactions;
  /* buildTables */
  double hor[MAXN] = {0}, mult[MAXN] = {0};
  for (int j = 0; j < nr; j++) {
    double total = 0;
    for (int e = 0; e < s->reLen[j]; e++) total += s->reOrder[j][e];
    for (int e = 0; e < s->reLen[j]; e++) {
      int i = s->reIndex[j][e];
      if (s->reOrder[j][e] <= 0) continue;
      if (total > hor[i]) {
        hor[i] = total;
        mult[i] = s->reOrder[j][e];
      } else if (total == hor[i]) {
        mult[i] = jmax(mult[i], s->reOrder[j][e]);
      }
    }
  }
  int species[MAXN], nSpecies = 0;
  for (int i = 0; i < n; i++) if (hor[i] > 0) species[nSpecies++] = i;
  int conLen[MAXR], conIndex[MAXR][MAXN];
  double conAmount[MAXR][MAXN];
  for (int j = 0; j < nr; j++) {
    conLen[j] = 0;
    for (int e = 0; e < s->stoLen[j]; e++) {
      if (s->stoDelta[j][e] < 0) {
        conIndex[j][conLen[j]] = s->stoIndex[j][e];
        conAmount[j][conLen[j]++] = -s->stoDelta[j][e];
      }
    }
  }
  double a[MAXR], mu[MAXN], sigma2[MAXN], yNew[MAXN];
  unsigned char critical[MAXR];
  SsaCursor cur = {t0, kFrom, 0};
  const double eps = o->epsilon;

  while (cur.t < t1) {
    const double t = cur.t;
    int k = cur.k;
    while (k < kTo && times[k] <= t) write_row(y, n, out, k++);
    cur.k = k;
    s->prop(t, y, s->p, a);
    st->fEvals++;
    double a0;
    if (total_propensity(s, a, &a0) != OK) return ERR_NONFINITE;
    if (a0 == 0) break;

    for (int i = 0; i < n; i++) mu[i] = sigma2[i] = 0;
    double a0c = 0;
    for (int j = 0; j < nr; j++) {
      const double aj = a[j];
      critical[j] = 0;
      if (aj == 0) continue;
      double firings = INFINITY;
      for (int e = 0; e < conLen[j]; e++) firings = jmin(firings, floor(y[conIndex[j][e]] / conAmount[j][e]));
      if (firings < o->nCritical) {
        critical[j] = 1;
        a0c += aj;
        continue;
      }
      for (int e = 0; e < s->stoLen[j]; e++) {
        const double d = s->stoDelta[j][e];
        mu[s->stoIndex[j][e]] += d * aj;
        sigma2[s->stoIndex[j][e]] += d * d * aj;
      }
    }
    double tauPrime = INFINITY;
    for (int r = 0; r < nSpecies; r++) {
      const int i = species[r];
      const double bound = jmax(eps * y[i] / g_factor(hor[i], mult[i], y[i]), 1);
      const double m = fabs(mu[i]);
      if (m > 0) tauPrime = jmin(tauPrime, bound / m);
      if (sigma2[i] > 0) tauPrime = jmin(tauPrime, bound * bound / sigma2[i]);
    }
    const double tStop = k < kTo ? jmin(times[k], t1) : t1;

    for (;;) {
      if (tauPrime < o->ssaThreshold / a0) {
        int rc = direct_steps(s, &cur, y, t1, times, kTo, out, rng, st, a, o->ssaBurst, o->maxSteps);
        if (rc < 0) return rc;
        break;
      }
      const double tauCrit = a0c > 0 ? -log(1 - rng_next(rng)) / a0c : INFINITY;
      double tau = jmin(tauPrime, tauCrit);
      int fireCritical = tauCrit <= tauPrime;
      double tEnd = t + tau;
      if (tEnd >= tStop) {
        tEnd = tStop;
        tau = tStop - t;
        fireCritical = 0;
      }
      memcpy(yNew, y, n * sizeof(double));
      for (int j = 0; j < nr; j++) {
        if (critical[j] == 0 && a[j] > 0) {
          const double fired = sample_poisson(rng, a[j] * tau);
          if (fired > 0) apply_reaction(s, yNew, j, fired);
        }
      }
      if (fireCritical) {
        double r = rng_next(rng) * a0c;
        int j = 0, lastc = -1;
        for (; j < nr; j++) {
          if (critical[j] == 0) continue;
          lastc = j;
          r -= a[j];
          if (r < 0) break;
        }
        apply_reaction(s, yNew, j < nr ? j : lastc, 1);
      }
      int negative = 0;
      for (int i = 0; i < n; i++) if (yNew[i] < 0) { negative = 1; break; }
      if (negative) {
        st->rejected++;
        tauPrime *= 0.5;
        continue;
      }
      memcpy(y, yNew, n * sizeof(double));
      cur.t = tEnd;
      st->steps++;
      if (++cur.steps > o->maxSteps) return ERR_STEPS;
      break;
    }
  }
  int k = cur.k;
  while (k < kTo) write_row(y, n, out, k++);
  return OK;
}

static ReactionSystem sir_reactions(const double *p) {
  ReactionSystem s;
  memset(&s, 0, sizeof s);
  s.nState = 3;
  s.nReactions = 2;
  s.prop = sir_prop;
  s.p = p;
  /* infection S + I -> 2 I; recovery I -> R */
  s.stoLen[0] = 2; s.stoIndex[0][0] = 0; s.stoDelta[0][0] = -1; s.stoIndex[0][1] = 1; s.stoDelta[0][1] = 1;
  s.stoLen[1] = 2; s.stoIndex[1][0] = 1; s.stoDelta[1][0] = -1; s.stoIndex[1][1] = 2; s.stoDelta[1][1] = 1;
  s.reLen[0] = 2; s.reIndex[0][0] = 0; s.reOrder[0][0] = 1; s.reIndex[0][1] = 1; s.reOrder[0][1] = 1;
  s.reLen[1] = 1; s.reIndex[1][0] = 1; s.reOrder[1][0] = 1;
  return s;
}

/* ------------------------------------------------------------------------------------------- */
/* The benchmark driver.                                                                         */

typedef struct {
  char bench[64];  /* sir-ode | sir-auto | sir-stiff | rober-stiff | rober-auto | sir-ssa | sir-tau */
  double seconds, warmup;
  int repeats, threads;
  double p[8];
  int np;
  double t0;
  double times[MAXT];
  int nt;
  OdeOptions ode;
  TauOptions tau;
  long seed;
  long verifyRuns;
} Spec;

static Spec spec;

static int read_spec(void) {
  char key[64];
  spec.seconds = 1;
  spec.warmup = 0.2;
  spec.repeats = 3;
  spec.threads = 1;
  spec.ode = (OdeOptions){1e-8, 1e-10, 1000000, 0, INFINITY};
  spec.tau = (TauOptions){0.03, 10, 10, 100, 100000000L};
  spec.verifyRuns = 200;
  while (scanf("%63s", key) == 1) {
    if (!strcmp(key, "bench")) { if (scanf("%63s", spec.bench) != 1) return 0; }
    else if (!strcmp(key, "seconds")) { if (scanf("%lf", &spec.seconds) != 1) return 0; }
    else if (!strcmp(key, "warmup")) { if (scanf("%lf", &spec.warmup) != 1) return 0; }
    else if (!strcmp(key, "repeats")) { if (scanf("%d", &spec.repeats) != 1) return 0; }
    else if (!strcmp(key, "threads")) { if (scanf("%d", &spec.threads) != 1) return 0; }
    else if (!strcmp(key, "t0")) { if (scanf("%lf", &spec.t0) != 1) return 0; }
    else if (!strcmp(key, "rtol")) { if (scanf("%lf", &spec.ode.rtol) != 1) return 0; }
    else if (!strcmp(key, "atol")) { if (scanf("%lf", &spec.ode.atol) != 1) return 0; }
    else if (!strcmp(key, "seed")) { if (scanf("%ld", &spec.seed) != 1) return 0; }
    else if (!strcmp(key, "verifyRuns")) { if (scanf("%ld", &spec.verifyRuns) != 1) return 0; }
    else if (!strcmp(key, "params")) {
      if (scanf("%d", &spec.np) != 1 || spec.np > 8) return 0;
      for (int i = 0; i < spec.np; i++) if (scanf("%lf", &spec.p[i]) != 1) return 0;
    } else if (!strcmp(key, "times")) {
      if (scanf("%d", &spec.nt) != 1 || spec.nt > MAXT || spec.nt < 1) return 0;
      for (int i = 0; i < spec.nt; i++) if (scanf("%lf", &spec.times[i]) != 1) return 0;
    } else {
      fprintf(stderr, "simref: unknown key %s\n", key);
      return 0;
    }
  }
  return 1;
}

typedef struct {
  OdeSystem sys;
  OdeSolve solve;
  void (*init)(const double *p, double *y);
} OdeBench;

static int ode_bench(OdeBench *b) {
  if (!strcmp(spec.bench, "sir-ode") || !strcmp(spec.bench, "sir-auto") || !strcmp(spec.bench, "sir-stiff")) {
    b->sys = (OdeSystem){3, sir_rhs, sir_jac, spec.p, 1};
    b->init = sir_init;
    b->solve = spec.bench[4] == 'o' ? dopri5 : spec.bench[4] == 'a' ? ode_auto : rodas;
    return 1;
  }
  if (!strcmp(spec.bench, "rober-stiff") || !strcmp(spec.bench, "rober-auto") || !strcmp(spec.bench, "rober-ode")) {
    b->sys = (OdeSystem){3, rober_rhs, rober_jac, spec.p, 1};
    b->init = rober_init;
    b->solve = spec.bench[6] == 's' ? rodas : spec.bench[6] == 'a' ? ode_auto : dopri5;
    return 1;
  }
  return 0;
}

/* One unit of work; returns operations done (trajectories, or reactions for ssa/tau), < 0 on error.
 * run is the run index (the RNG stream of stochastic runs, rngFor(seed, run, 1) as simulateRunRange). */
typedef struct { OdeBench ob; int stochastic; long run; Stats st; double out[MAXT * MAXN]; double y[MAXN]; } Worker;

static long one(Worker *w) {
  const int nt = spec.nt;
  if (!w->stochastic) {
    w->ob.init(spec.p, w->y);
    Stats st = {0, 0, 0, 0, NAN};
    int rc = w->ob.solve(&w->ob.sys, spec.t0, w->y, spec.times[nt - 1], spec.times, 0, nt, w->out, &spec.ode, &st);
    w->st = st;
    return rc == OK ? 1 : rc;
  }
  ReactionSystem s = sir_reactions(spec.p);
  sir_init(spec.p, w->y);
  const int64_t path[2] = {w->run++, 1};
  Rng rng = rng_for(spec.seed, 2, path);
  Stats st = {0, 0, 0, 0, NAN};
  int rc = spec.bench[4] == 's' ? ssa_direct(&s, spec.t0, w->y, spec.times[nt - 1], spec.times, 0, nt, w->out, &rng, &st)
                                : tau_leap(&s, spec.t0, w->y, spec.times[nt - 1], spec.times, 0, nt, w->out, &rng, &st, &spec.tau);
  w->st = st;
  if (rc != OK) return rc;
  /* ssa: reaction events; tau: trajectories (its leaps + exact events are in st.steps) */
  return spec.bench[4] == 's' ? st.steps : 1;
}

static double cpu_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* One window, as bench-row.ts's window(): calls in batches of ~1 ms, until `seconds` of this
 * thread's CPU time (or 4x that of wall time); ops per wall second and per CPU second. */
typedef struct { double wall, cpu; } Rates;

static Rates rate_window(Worker *w, double seconds, long *err) {
  Rates none = {0, 0};
  double t = now_s();
  long r = one(w);
  if (r < 0) { *err = r; return none; }
  double first = jmax(now_s() - t, 1e-9);
  long batch = (long)jmax(1, jmin(10000, floor(1e-3 / first)));
  long ops = 0;
  double wall0 = now_s(), cpu0 = cpu_s(), wall = 0, cpu = 0;
  while (cpu < seconds && wall < 4 * seconds) {
    for (long i = 0; i < batch; i++) {
      r = one(w);
      if (r < 0) { *err = r; return none; }
      ops += r;
    }
    wall = now_s() - wall0;
    cpu = cpu_s() - cpu0;
  }
  return (Rates){ops / wall, ops / jmax(cpu, 1e-9)};
}

typedef struct { Worker *w; double seconds; Rates rate; long err; } ThreadArg;

static void *thread_main(void *arg) {
  ThreadArg *a = arg;
  a->rate = rate_window(a->w, a->seconds, &a->err);
  return NULL;
}

int main(void) {
  LOG_1E_4 = log(1e-4);
  if (!read_spec()) {
    fprintf(stderr, "simref: bad spec on stdin\n");
    return 2;
  }
  static Worker workers[64];
  const int stochastic = !strcmp(spec.bench, "sir-ssa") || !strcmp(spec.bench, "sir-tau");
  for (int i = 0; i < 64; i++) {
    workers[i].stochastic = stochastic;
    workers[i].run = 0;
    if (!stochastic && !ode_bench(&workers[i].ob)) {
      fprintf(stderr, "simref: unknown bench %s\n", spec.bench);
      return 2;
    }
  }
  const int nt = spec.nt, n = 3;
  Worker *w = &workers[0];
  printf("{\"bench\":\"%s\"", spec.bench);

  /* Verification first (before any timing): what one run does, for comparison with the JS side. */
  if (!stochastic) {
    long rc = one(w);
    if (rc < 0) {
      printf(",\"error\":%ld}\n", rc);
      return 1;
    }
    printf(",\"steps\":%ld,\"rejected\":%ld,\"fEvals\":%ld,\"jacEvals\":%ld", w->st.steps, w->st.rejected, w->st.fEvals, w->st.jacEvals);
    if (!isnan(w->st.switchedAt)) printf(",\"switchedToStiffAt\":%.17g", w->st.switchedAt);
    printf(",\"out\":[");
    for (int i = 0; i < nt * n; i++) printf(i ? ",%.17g" : "%.17g", w->out[i]);
    printf("]");
  } else {
    /* runs 0..verifyRuns-1: total events/leaps, rejected leaps and the sum of final states */
    long steps = 0, rejected = 0;
    double finalSum = 0;
    for (long r = 0; r < spec.verifyRuns; r++) {
      long rc = one(w);
      if (rc < 0) {
        printf(",\"error\":%ld}\n", rc);
        return 1;
      }
      steps += w->st.steps;
      rejected += w->st.rejected;
      for (int i = 0; i < n; i++) finalSum += w->out[(size_t)(nt - 1) * n + i] * (i + 1);
    }
    printf(",\"verifyRuns\":%ld,\"steps\":%ld,\"rejected\":%ld,\"finalWeightedSum\":%.17g", spec.verifyRuns, steps, rejected, finalSum);
    w->run = 0;
  }

  long err = 0;
  if (spec.warmup > 0) (void)rate_window(w, spec.warmup, &err);
  Rates best = {0, 0};
  for (int r = 0; r < spec.repeats && !err; r++) {
    Rates x = rate_window(w, spec.seconds, &err);
    best.wall = jmax(best.wall, x.wall);
    best.cpu = jmax(best.cpu, x.cpu);
  }
  if (err) {
    printf(",\"error\":%ld}\n", err);
    return 1;
  }
  printf(",\"rate\":%.6g,\"cpuRate\":%.6g", best.wall, best.cpu);

  if (spec.threads > 1) {
    /* The same loop in `threads` threads at once: total throughput (what the machine allows). */
    int nth = spec.threads > 64 ? 64 : spec.threads;
    double bestTotal = 0;
    for (int r = 0; r < spec.repeats; r++) {
      pthread_t th[64];
      ThreadArg args[64];
      for (int i = 0; i < nth; i++) {
        args[i] = (ThreadArg){&workers[i], spec.seconds, {0, 0}, 0};
        pthread_create(&th[i], NULL, thread_main, &args[i]);
      }
      /* wall-clock throughput: each thread's ops over its own window, summed */
      double total = 0;
      for (int i = 0; i < nth; i++) {
        pthread_join(th[i], NULL);
        total += args[i].rate.wall;
      }
      bestTotal = jmax(bestTotal, total);
    }
    printf(",\"threads\":%d,\"threadsRate\":%.6g", nth, bestTotal);
  }
  printf("}\n");
  return 0;
}
