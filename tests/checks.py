"""What the end-to-end tests share: a counter of checks that prints calculated against expected
on failure, for the closing "N passed, M failed" line that ctest and CI read."""
import os
import sys

import numpy as np


def cohortsim_argument(usage):
    """The cohortsim binary every e2e script takes as its one argument, made absolute; without
    it, prints the script's usage and exits 2."""
    if len(sys.argv) != 2:
        print(usage)
        raise SystemExit(2)
    return os.path.abspath(sys.argv[1])


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, detail=""):
        """Counts one check; on failure prints what was calculated and what was expected."""
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL: {name}" + (f"\n    {detail}" if detail else ""))
        return ok

    def equal_arrays(self, name, calculated, expected):
        calculated, expected = np.asarray(calculated), np.asarray(expected)
        ok = calculated.shape == expected.shape and np.array_equal(
            calculated, expected, equal_nan=calculated.dtype.kind == "f")
        return self.check(name, ok, f"calculated {calculated.shape} {calculated!r}\n"
                                    f"    expected {expected.shape} {expected!r}")

    def close(self, name, calculated, expected, tolerance=1e-9):
        calculated, expected = np.asarray(calculated, float), np.asarray(expected, float)
        ok = calculated.shape == expected.shape and np.allclose(
            calculated, expected, rtol=tolerance, atol=tolerance, equal_nan=True)
        return self.check(name, ok, f"calculated {calculated!r}\n    expected {expected!r}")

    def finish(self):
        """The closing line ctest and CI read, and the exit status."""
        print(f"{self.passed} passed, {self.failed} failed")
        raise SystemExit(1 if self.failed else 0)


# A scenario that simulates in a blink, for tests of the command line rather than the model.
SMALL_SCENARIO = """
[simulation]
horizon_months = 6
replications = 4
[acquisition]
initial_customers = 500
new_per_month = 20
[retention]
alpha = 1.0
beta = 5.0
"""
