"""Benchmark: customer-months per second and peak memory of `cohortsim run`.

Usage: /usr/bin/python3 tests/benchmark.py [path to cohortsim] [--quick]

Runs the pure sBG benchmark scenario, the baseline and the combined net-negative-churn strategy
on 1 and 2 threads, then the pure sBG model at three population sizes and three replication
counts, to show how cost grows with work. Each figure is the median of three runs; peak memory
is the largest resident set of the three. Prints a Markdown table (README, Performance).
"""
import os
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile

SOURCE = pathlib.Path(__file__).resolve().parents[1]
args = [a for a in sys.argv[1:] if not a.startswith("--")]
COHORTSIM = os.path.abspath(args[0]) if args else str(SOURCE / "build" / "cohortsim")
QUICK = "--quick" in sys.argv
REPEATS = 1 if QUICK else 3
SCENARIOS = SOURCE / "scenarios"
LINE = re.compile(r"([0-9.e+]+) customer-months in ([0-9.e+]+) s = ([0-9.e+]+) customer-months/s")


def run_once(scenario, threads, extra, out):
    # /usr/bin/time -f %M prints the peak resident set (KiB) as the last line of stderr.
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%M", COHORTSIM, "run", str(scenario), "-o", out, "--force",
         "--quiet", "--threads", str(threads), *extra], capture_output=True, text=True, check=True)
    match = LINE.search(result.stdout)
    if not match:
        raise SystemExit(f"no speed line in the output of {scenario}:\n{result.stdout}")
    return float(match.group(1)), float(match.group(3)), int(result.stderr.strip().splitlines()[-1])


def measure(label, scenario, threads, extra=()):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "bench.h5")
        runs = [run_once(scenario, threads, list(extra), out) for _ in range(REPEATS)]
    months = runs[0][0]
    rate = statistics.median(r[1] for r in runs)
    peak = max(r[2] for r in runs)
    print(f"| {label} | {threads} | {months:.3g} | {rate:.3g} | {rate / threads:.3g} | {peak / 1024:.0f} |",
          flush=True)
    return rate


print("| scenario | threads | customer-months | customer-months/s | per thread | peak MiB |")
print("|---|---|---|---|---|---|")
pure = SCENARIOS / "benchmarks" / "pure_sbg.toml"
rates = {}
for name, path in (("pure_sbg", pure), ("baseline", SCENARIOS / "baseline.toml"),
                   ("net_negative_churn", SCENARIOS / "net_negative_churn.toml")):
    for threads in (1, 2):
        rates[(name, threads)] = measure(name, path, threads)
for name in ("pure_sbg", "baseline", "net_negative_churn"):
    print(f"\n{name}: two-thread speed-up {rates[(name, 2)] / rates[(name, 1)]:.2f}x")

print("\nHow cost grows with work (pure sBG, 2 threads):\n")
print("| scenario | threads | customer-months | customer-months/s | per thread | peak MiB |")
print("|---|---|---|---|---|---|")
for new_per_month in (200, 2000, 20000):
    measure(f"pure_sbg, {new_per_month} new/month, 16 replications", pure, 2,
            ("--set", f"acquisition.new_per_month={new_per_month}", "--replications", "16"))
for replications in (16, 64, 256):
    measure(f"pure_sbg, 2000 new/month, {replications} replications", pure, 2,
            ("--replications", str(replications)))
