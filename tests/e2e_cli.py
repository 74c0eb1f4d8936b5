"""End-to-end checks of `cohortsim` as users run it: broken input gives exit code 2 with a
message naming the offending file, key or flag and writes nothing; Ctrl-C and SIGTERM leave no
file behind; an existing output is never overwritten without --force.

Usage: e2e_cli.py <path to cohortsim>
"""
import math
import os
import pathlib
import re
import signal
import subprocess
import sys
import tempfile
import time

from scipy.integrate import quad

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
        # No option guessing: an abbreviation is an unknown option, named, with a suggestion.
        (["run", "good.toml", "--replication", "10", "-o", "out.h5"],
         ["--replication", "did you mean --replications"]),
        (["run", "good.toml", "--out", "out.h5"], ["--out", "did you mean --output"]),
        (["run", "good.toml", "--keep", "-o", "out.h5"], ["--keep", "did you mean --keep-paths"]),
        (["check", "good.toml", "--se", "retention.alpha=2"], ["--se", "did you mean --set"]),
        (["summary", "existing.h5", "--cs"], ["--cs", "did you mean --csv"]),
        (["fit", "data.csv", "--mod", "bdw"], ["--mod", "did you mean --model"]),
        (["params", "--hel"], ["--hel", "did you mean --help"]),
        (["params", "retention", "save_desk"], ["params --help"]),
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

    # params PREFIX: only the keys under a table, a key, or the start of a name.
    result = run(["params", "save_desk"], work)
    rows = [line.split()[0] for line in result.stdout.splitlines()
            if line and not line[0].isspace() and not line.startswith("KEY")]
    check(result.returncode == 0 and rows and all(r.startswith("save_desk.") for r in rows)
          and "save_desk.save_rate" in rows, "params save_desk lists the save_desk keys only",
          f"rc {result.returncode}: {result.stdout[:400]}{result.stderr}")
    result = run(["params", "retention.al"], work)
    check(result.returncode == 0 and "retention.alpha" in result.stdout
          and "retention.beta" not in result.stdout, "params retention.al: keys that start so",
          result.stdout[:400] + result.stderr)
    result = run(["params", "segments.smb.retention"], work)
    check(result.returncode == 0 and "segments.*.retention.alpha" in result.stdout
          and "segments.*.share" not in result.stdout, "params segments.smb.retention: '*' matches",
          result.stdout[:400] + result.stderr)
    result = run(["params", "retentoin"], work)
    check(result.returncode == 2 and "retentoin" in result.stderr
          and all(t in result.stderr for t in ("retention", "save_desk", "simulation")),
          "params with an unknown prefix: exit 2 listing the top-level tables",
          f"rc {result.returncode}: {result.stderr}")

    # check: what each segment's retention means for a new cohort.
    def betaln(a, b):
        return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)

    def sbg_survival(a, b, t, c=1.0):
        return math.exp(betaln(a, b + t ** c) - betaln(a, b))

    (work / "retention.toml").write_text("""
[simulation]
horizon_months = 6
replications = 4
[acquisition]
initial_customers = 500
new_per_month = 20
[retention]
alpha = 0.704
beta = 1.182
[segments.small]
share = 0.6
mrr_median = 80.0
mrr_sigma = 0.5
[segments.large]
share = 0.4
mrr_median = 2000.0
mrr_sigma = 0.0
[segments.large.retention]
alpha = 1.5
beta = 40.0
c = 1.3
unavoidable_monthly = 0.002
""")
    result = run(["check", "retention.toml"], work)
    (work / "retention.toml").unlink()
    out = result.stdout
    check(result.returncode == 0 and out.index("alpha = 0.704") < out.index("Retention of a new cohort"),
          "check: the resolved scenario first, then the retention block", out[-1500:] + result.stderr)
    blocks = {}
    for name in ("small", "large"):
        start = out.find(f"segment {name}:")
        end = out.find("# segment ", start + 1)
        blocks[name] = out[start:end if end > 0 else len(out)]

    def figure(block, label):
        match = re.search(re.escape(label) + r"[^:]*:\s*([-0-9.]+)", block)
        return float(match.group(1)) if match else math.nan

    small, large = blocks["small"], blocks["large"]
    check("alpha = 0.704" in small and "beta = 1.182" in small, "check: alpha and beta in use", small)
    checks.close("check: first-month churn alpha/(alpha+beta)", figure(small, "first-month churn"),
                 0.3733, 1e-4)
    checks.close("check: sBG S(12) = B(a, b+12)/B(a, b)", figure(small, "12-month survival"),
                 round(sbg_survival(0.704, 1.182, 12), 4), 1e-4)
    lifetime = sum(sbg_survival(0.704, 1.182, t) for t in range(600))
    checks.close("check: lifetime = sum of S(t) up to 600 months", figure(small, "expected lifetime"),
                 round(lifetime, 2), 1e-4)
    check("capped at 600 months" in small, "check: a heavy tail says it is capped",
          small)  # S(600) of this sBG is about 0.01
    checks.close("check: ARPA = median exp(sigma^2/2)", figure(small, "ARPA"),
                 round(80.0 * math.exp(0.125), 2), 1e-6)
    # BdW with unavoidable churn, by quadrature over the Beta density (independent of the
    # closed form the engine uses).
    a, b, c, u = 1.5, 40.0, 1.3, 0.002
    density = lambda theta, t: math.exp((a - 1) * math.log(theta) + (b - 1) * math.log1p(-theta)
                                        - betaln(a, b) + t ** c * math.log1p(-theta))
    s12 = quad(density, 0.0, 1.0, args=(12,), limit=200)[0] * (1 - u) ** 12
    checks.close("check: BdW S(12) = E[(1-theta)^(12^c)] (1-u)^12", figure(large, "12-month survival"),
                 round(s12, 4), 1e-4)
    life = sum(quad(density, 0.0, 1.0, args=(t,), limit=200)[0] * (1 - u) ** t for t in range(600))
    checks.close("check: BdW lifetime", figure(large, "expected lifetime"), round(life, 2), 1e-4)
    check("capped" not in large and "(BdW)" in large, "check: BdW named; no cap when S(600) is tiny",
          large)
    checks.close("check: first-month churn with unavoidable", figure(large, "with unavoidable"),
                 round(1 - (1 - a / (a + b)) * (1 - u), 4), 1e-4)
    checks.close("check: ARPA with sigma 0 is the median", figure(large, "ARPA"), 2000.0)

    # A lever that does not reach the initial customers: check lists it, run says it once on
    # stderr; acquisition.initial_plans = "like_new" gives them the offers and silences it.
    annual = SOURCE / "scenarios" / "annual_contracts.toml"
    note = "the contract terms do not reach the 2000 initial customers"
    result = run(["check", str(annual)], work)
    check(result.returncode == 0 and f"# note: {note}" in result.stdout,
          "check: lists a lever that does not reach the initial customers", result.stdout[-800:])
    result = run(["check", str(annual), "--set", 'acquisition.initial_plans="like_new"'], work)
    check(result.returncode == 0 and "# note:" not in result.stdout,
          "check: no note once the initial customers take the offers", result.stdout[-800:])
    result = run(["run", str(annual), "-o", "reach.h5", "--replications", "4", "--horizon", "6",
                  "--quiet"], work)
    check(result.returncode == 0 and result.stderr.count(note) == 1,
          "run: warns once on stderr about a lever that does not reach everyone", result.stderr)
    (work / "reach.h5").unlink(missing_ok=True)

checks.finish()
