#!/usr/bin/python3
# Expected values of the rank tests and effect sizes (src/core/ranktest.c,
# src/core/effect.c), computed by SciPy (Debian 12: python3-scipy 1.10)
# and numpy, written to cases.txt, which tests/unit/test_ranktest.c
# reads. Run once when a case is added: ./make_cases.py > cases.txt
# Each case: "case KIND NAME", its samples ("x ...", "y ..."), its
# parameters ("q Q", "level L") and "expect KEY VALUE ..." lines; "exact
# 1" asks for the exact distribution (tolerance 1e-9), "exact 0" for the
# normal approximation (1e-6).
import numpy as np
import scipy
from scipy import stats

rng = np.random.RandomState(20261201)


def emit(kind, name, samples, params, expect):
    print("case %s %s" % (kind, name))
    for k, v in samples:
        print(k, " ".join(repr(float(a)) for a in v))
    for k, v in params:
        print(k, repr(float(v)))
    print("expect", " ".join("%s %r" % (k, float(v)) for k, v in expect))
    print()


def signed_rank(name, x, y, mode):
    d = np.asarray(x) - np.asarray(y)
    two = stats.wilcoxon(d, zero_method="wilcox", correction=True,
                         alternative="two-sided", mode=mode)
    gt = stats.wilcoxon(d, zero_method="wilcox", correction=True,
                        alternative="greater", mode=mode)
    emit("signed_rank", name, [("x", x), ("y", y)], [],
         [("statistic", gt.statistic), ("p", two.pvalue),
          ("exact", mode == "exact")])


def mann_whitney(name, x, y, method):
    r = stats.mannwhitneyu(x, y, use_continuity=True,
                           alternative="two-sided", method=method)
    emit("mann_whitney", name, [("x", x), ("y", y)], [],
         [("statistic", r.statistic), ("p", r.pvalue),
          ("exact", method == "exact")])


def kendall(name, x, y, method):
    r = stats.kendalltau(x, y, method=method)
    emit("kendall", name, [("x", x), ("y", y)], [],
         [("statistic", r.correlation), ("p", r.pvalue),
          ("exact", method == "exact")])


def effects(name, x, y, level=0.95):
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    diffs = np.sort(np.subtract.outer(y, x).ravel())
    nm = diffs.size
    ties = np.unique(np.concatenate([x, y])).size < x.size + y.size
    if x.size < 50 and y.size < 50 and not ties:
        # R's wilcox.test(conf.int = TRUE), exact: qwilcox(alpha / 2)
        from scipy.stats._mannwhitneyu import _mwu_state
        c = 0
        while _mwu_state.cdf(c, x.size, y.size) < (1 - level) / 2 - 1e-15:
            c += 1
        c = max(c, 1)
    else:
        z = stats.norm.ppf((1 + level) / 2)
        c = int(np.floor(nm / 2 - z * np.sqrt(nm * (x.size + y.size + 1) / 12)))
    lo, hi = (diffs[c - 1], diffs[nm - c]) if c >= 1 else (np.nan, np.nan)
    cliff = np.mean(np.sign(np.subtract.outer(x, y)))
    emit("hl_shift", name, [("x", x), ("y", y)], [("level", level)],
         [("value", np.median(diffs)), ("lo", lo), ("hi", hi),
          ("exact", 1)])
    emit("cliff", name, [("x", x), ("y", y)], [],
         [("value", cliff), ("exact", 1)])


def hl_paired(name, d):
    d = np.asarray(d, float)
    i, j = np.triu_indices(d.size)
    emit("hl_paired", name, [("x", d)], [],
         [("value", np.median((d[i] + d[j]) / 2)), ("exact", 1)])


def quantile_ci(name, x, q, level=0.95):
    s = np.sort(np.asarray(x, float))
    n = s.size
    l = int(stats.binom.ppf((1 - level) / 2, n, q))
    u = int(stats.binom.ppf((1 + level) / 2, n, q)) + 1
    lo = s[l - 1] if l >= 1 else np.nan
    hi = s[u - 1] if u <= n else np.nan
    emit("quantile_ci", name, [("x", s)], [("q", q), ("level", level)],
         [("value", np.quantile(s, q)), ("lo", lo), ("hi", hi),
          ("lrank", l), ("urank", u), ("exact", 1)])


print("# made by make_cases.py with scipy %s, numpy %s: do not edit"
      % (scipy.__version__, np.__version__))
print()
# latency-like samples: microseconds, log-normal
x = np.round(rng.lognormal(3, 0.3, 12), 3)
signed_rank("exact_12", x, x * rng.uniform(0.8, 1.3, 12), "exact")
signed_rank("exact_4", [1.0, 2.5, 3.0, 4.25], [2.0, 2.0, 4.5, 3.0], "exact")
a = rng.randint(10, 20, 30).astype(float)
signed_rank("ties_zeros_30", a, rng.randint(10, 20, 30).astype(float),
            "approx")
x = rng.lognormal(3, 0.3, 80)
signed_rank("approx_80", x, x * rng.uniform(0.9, 1.15, 80), "approx")

mann_whitney("exact_7_9", np.round(rng.lognormal(3, 0.3, 7), 4),
             np.round(rng.lognormal(3.2, 0.3, 9), 4), "exact")
mann_whitney("ties_30_40", rng.randint(10, 25, 30).astype(float),
             rng.randint(12, 27, 40).astype(float), "asymptotic")
mann_whitney("approx_200_300", rng.lognormal(3, 0.3, 200),
             rng.lognormal(3.05, 0.3, 300), "asymptotic")

bg = [0, 8, 32, 64, 128]
kendall("trend_5", bg, [14.1, 15.2, 15.0, 19.8, 25.5], "exact")
kendall("exact_20", rng.permutation(20).astype(float),
        rng.lognormal(3, 0.3, 20), "exact")
kendall("approx_40", rng.lognormal(0, 1, 40), rng.lognormal(0, 1, 40),
        "asymptotic")
kendall("ties_25", rng.randint(0, 5, 25).astype(float),
        rng.randint(0, 6, 25).astype(float), "asymptotic")

effects("small_7_9", np.round(rng.lognormal(3, 0.3, 7), 3),
        np.round(rng.lognormal(3.2, 0.3, 9), 3))
effects("probes_400_500", np.round(rng.lognormal(3, 0.4, 400), 3),
        np.round(rng.lognormal(3.1, 0.4, 500), 3))
effects("ties_60_50", rng.randint(10, 20, 60).astype(float),
        rng.randint(11, 21, 50).astype(float))
hl_paired("paired_9", np.round(rng.normal(1, 2, 9), 3))
hl_paired("paired_10", np.round(rng.normal(-1, 2, 10), 3))

p = np.round(rng.lognormal(3, 0.5, 1000), 3)
quantile_ci("p50_1000", p, 0.5)
quantile_ci("p99_1000", p, 0.99)
quantile_ci("p999_1000", p, 0.999)
quantile_ci("p99_120", p[:120], 0.99)
quantile_ci("p50_120", p[:120], 0.5)
