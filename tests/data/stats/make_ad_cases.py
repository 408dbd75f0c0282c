#!/usr/bin/python3
# Expected Anderson-Darling statistics and critical values against the
# exponential (src/core/adtest.c), computed by SciPy's
# scipy.stats.anderson(x, 'expon') (Debian 12: python3-scipy 1.10),
# written to ad_cases.txt, which tests/unit/test_adtest.c reads. Run once
# when a case is added: ./make_ad_cases.py > ad_cases.txt
# Each case: "case NAME", "x ..." (the sample), "expect a2 A2 crit C C C C C".
import numpy as np
import scipy
from scipy import stats

rng = np.random.RandomState(20261202)


def emit(name, x):
    r = stats.anderson(np.asarray(x, dtype=float), dist="expon")
    assert list(r.significance_level) == [15, 10, 5, 2.5, 1]
    print("case", name)
    print("x", " ".join(repr(float(a)) for a in x))
    print("expect a2 %r crit %s" % (float(r.statistic),
                                    " ".join(repr(float(c))
                                             for c in r.critical_values)))
    print()


print("# made by make_ad_cases.py with scipy %s, numpy %s: do not edit"
      % (scipy.__version__, np.__version__))
print()
emit("expon_10", rng.exponential(2.5, 10))
emit("expon_100", rng.exponential(1e4, 100))
emit("expon_2000", rng.exponential(1e6, 2000))
emit("uniform_200", rng.uniform(0, 2, 200))
emit("periodic_50", np.full(50, 1000.0) + rng.uniform(-1, 1, 50))
emit("gamma_500", rng.gamma(4.0, 1.0, 500))
emit("tiny_3", [1.0, 2.0, 4.0])
