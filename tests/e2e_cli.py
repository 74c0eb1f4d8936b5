"""End-to-end checks of `cohortsim` as users run it: broken input gives exit code 2 with a
message naming the offending file, key or flag and writes nothing; Ctrl-C and SIGTERM leave no
file behind; an existing output is never overwritten without --force.

Usage: e2e_cli.py <path to cohortsim>
"""
import os
import pathlib
import signal
import subprocess
import sys
import tempfile
import time

from checks import SMALL_SCENARIO, Checks

COHORTSIM = os.path.abspath(sys.argv[1])
SOURCE = pathlib.Path(os.environ.get("COHORTSIM_SOURCE_DIR", pathlib.Path(__file__).parents[1]))
BAD_SCENARIOS = SOURCE / "tests" / "data" / "bad_scenarios"

GOOD = SMALL_SCENARIO

# Long in simulation, not in allocation: many customers, few replications (the per-replication
# values of 1e5 replications take gigabytes, and the signal would land while they are zeroed).
SLOW = """
[simulation]
horizon_months = 120
replications = 1000
[acquisition]
initial_customers = 50000
new_per_month = 5000
[retention]
alpha = 1.0
beta = 30.0
"""

checks = Checks()


def check(condition, what, detail=""):
    checks.check(what, condition, detail)


def run(args, cwd):
    return subprocess.run([COHORTSIM, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def leftovers(directory):
    return sorted(p.name for p in pathlib.Path(directory).iterdir() if p.name not in ("good.toml", "slow.toml", "existing.h5"))


def expect_input_error(args, must_mention, cwd, label):
    result = run(args, cwd)
    check(result.returncode == 2, f"{label}: exit code 2",
          f"got {result.returncode}; stderr: {result.stderr.strip()}")
    for text in must_mention:
        check(text in result.stderr, f"{label}: message mentions {text!r}",
              f"stderr: {result.stderr.strip()}")
    check(leftovers(cwd) == [], f"{label}: no output file", f"found {leftovers(cwd)}")


with tempfile.TemporaryDirectory() as tmp:
    work = pathlib.Path(tmp)
    (work / "good.toml").write_text(GOOD)
    (work / "slow.toml").write_text(SLOW)

    # Every broken scenario file in the test data: exit 2, file and expected text named.
    bad_files = sorted(BAD_SCENARIOS.glob("*.toml"))
    check(len(bad_files) >= 20, "at least 20 broken scenario files", f"found {len(bad_files)}")
    for path in bad_files:
        first_line = path.read_text().splitlines()[0]
        expected = first_line.split("expect:", 1)[1].strip() if "expect:" in first_line else ""
        expect_input_error(["run", str(path), "-o", "out.h5", "--quiet"], [path.name, expected],
                           work, f"scenario {path.name}")

    # Broken command lines.
    command_lines = [
        (["run", "good.toml", "--bogus-flag", "-o", "out.h5"], ["bogus-flag"]),
        (["run", "good.toml", "--threads", "-3", "-o", "out.h5"], ["--threads"]),
        (["run", "good.toml", "--replications", "many", "-o", "out.h5"], ["replications"]),
        (["run", "good.toml", "--replications", "0", "-o", "out.h5"], ["simulation.replications"]),
        (["run", "good.toml", "--horizon", "0", "-o", "out.h5"], ["simulation.horizon_months"]),
        (["run", "good.toml", "--set", "retention.alpha", "-o", "out.h5"], ["retention.alpha"]),
        (["run", "good.toml", "--set", "retention.alpah=2", "-o", "out.h5"], ["retention.alpah", "retention.alpha"]),
        (["run", "good.toml", "--set", "retention.alpha=-1", "-o", "out.h5"], ["retention.alpha"]),
        (["run", "good.toml", "--set", "retention.alpha=nan", "-o", "out.h5"], ["retention.alpha"]),
        (["run", "missing.toml", "-o", "out.h5"], ["missing.toml"]),
        (["run", "good.toml", "-o", "no/such/dir/out.h5"], ["no/such/dir"]),
        (["frobnicate"], ["frobnicate"]),
        # Absurd sizes are refused before any work: by the schema's ranges, or by the memory
        # estimate against --max-memory.
        (["run", "good.toml", "--set", "acquisition.initial_customers=1000000000000", "-o", "out.h5"],
         ["acquisition.initial_customers"]),
        (["run", "good.toml", "--horizon", "1000000", "-o", "out.h5"], ["simulation.horizon_months"]),
        (["run", "good.toml", "--set", "acquisition.new_per_month=10000000", "--horizon", "600",
          "--replications", "100000", "-o", "out.h5"], ["memory", "GiB"]),
        (["run", "good.toml", "--max-memory", "1k", "-o", "out.h5"], ["--max-memory", "memory"]),
        (["run", "good.toml", "--max-memory", "lots", "-o", "out.h5"], ["--max-memory"]),
        (["check", "missing.toml"], ["missing.toml"]),
    ]
    for args, mentions in command_lines:
        expect_input_error(args, mentions, work, "command line " + " ".join(args))

    # A good run: summary and the speed line; then no overwrite without --force.
    result = run(["run", "good.toml", "-o", "existing.h5", "--quiet"], work)
    check(result.returncode == 0, "good run exits 0", result.stderr)
    check("customer-months/s" in result.stdout, "run reports customer-months per second", result.stdout)
    before = (work / "existing.h5").read_bytes()
    result = run(["run", "good.toml", "-o", "existing.h5", "--quiet"], work)
    check(result.returncode == 2 and "--force" in result.stderr, "existing output refused without --force",
          f"rc {result.returncode}: {result.stderr}")
    check((work / "existing.h5").read_bytes() == before, "refused overwrite leaves the file untouched")
    result = run(["run", "good.toml", "-o", "existing.h5", "--quiet", "--force", "--seed", "99"], work)
    check(result.returncode == 0 and (work / "existing.h5").read_bytes() != before,
          "--force overwrites", result.stderr)
    check(leftovers(work) == [], "no temporary file after runs", f"found {leftovers(work)}")

    # Interrupted runs: exit 128 + signal, no output and no temporary file.
    for sig, code in ((signal.SIGINT, 130), (signal.SIGTERM, 143)):
        process = subprocess.Popen([COHORTSIM, "run", "slow.toml", "-o", "slow.h5", "--quiet"],
                                   cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.0)
        process.send_signal(sig)
        _, stderr = process.communicate(timeout=60)
        check(process.returncode == code, f"{sig.name}: exit code {code}", f"got {process.returncode}: {stderr}")
        check(leftovers(work) == [], f"{sig.name}: nothing left behind", f"found {leftovers(work)}")

    # check and params.
    result = run(["check", "good.toml"], work)
    check(result.returncode == 0 and "alpha = 1" in result.stdout, "check prints the resolved scenario", result.stdout)
    result = run(["params"], work)
    for key in ("retention.alpha", "onboarding.stalled_hazard", "acquisition.new_per_month", "segments.*.share"):
        check(key in result.stdout, f"params documents {key}", result.stdout[:300])

checks.finish()
