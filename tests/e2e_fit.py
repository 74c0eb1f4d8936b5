"""End-to-end checks of `cohortsim fit`: the published Fader & Hardie (2007) fits through the real
executable in every output form, a snippet that `cohortsim check` accepts, and every malformed
data file in tests/data/fit_bad/ giving exit code 2 with a message naming file, line and value
(expected texts in tests/data/fit_bad/expectations.txt).

Usage: e2e_fit.py <path to cohortsim>
"""
import json
import os
import pathlib
import subprocess
import sys
import tempfile

from checks import Checks

COHORTSIM = os.path.abspath(sys.argv[1])
SOURCE = pathlib.Path(os.environ.get("COHORTSIM_SOURCE_DIR", pathlib.Path(__file__).parents[1]))
GOOD = SOURCE / "tests" / "data" / "fit"
BAD = SOURCE / "tests" / "data" / "fit_bad"

checks = Checks()


def check(condition, what, detail=""):
    checks.check(what, condition, detail)


def check_near(what, calculated, expected, tolerance):
    check(calculated is not None and abs(calculated - expected) <= tolerance, what,
          f"calculated {calculated}, expected {expected}, tolerance {tolerance}")


def run(args, cwd="."):
    return subprocess.run([COHORTSIM, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def expect_input_error(args, must_mention, label):
    result = run(args)
    check(result.returncode == 2, f"{label}: exit code 2",
          f"got {result.returncode}; stderr: {result.stderr.strip()}")
    check(result.stdout == "", f"{label}: nothing on stdout", f"stdout: {result.stdout.strip()}")
    for text in must_mention:
        check(text in result.stderr, f"{label}: message mentions {text!r}",
              f"stderr: {result.stderr.strip()}")


def fit_json(path, model="sbg"):
    result = run(["fit", str(path), "--model", model, "--json"])
    check(result.returncode == 0, f"fit --json {path.name} --model {model}: exit 0",
          f"got {result.returncode}; stderr: {result.stderr.strip()}")
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError as error:
        check(False, f"fit --json {path.name}: one JSON object", f"{error}: {result.stdout!r}")
        return None


# Fader & Hardie (2007), Table 1 and section 3: published estimates to 3 decimals.
published = [
    ("fader_hardie_regular.csv", 0.704, 1.182, -1680.3, 0.05),
    ("fader_hardie_high_end.csv", 0.668, 3.806, -1611.16, 0.005),
]
for name, alpha, beta, log_likelihood, ll_tolerance in published:
    fit = fit_json(GOOD / name)
    if fit is None:
        continue
    check(fit["model"] == "sbg" and fit["converged"] is True, f"{name}: sBG, converged", str(fit))
    check_near(f"{name}: alpha", fit["parameters"]["alpha"]["estimate"], alpha, 0.0005)
    check_near(f"{name}: beta", fit["parameters"]["beta"]["estimate"], beta, 0.0005)
    check_near(f"{name}: log-likelihood", fit["log_likelihood"], log_likelihood, ll_tolerance)
    check_near(f"{name}: AIC = 2k - 2LL", fit["aic"], 4 - 2 * fit["log_likelihood"], 1e-6)
    for parameter in ("alpha", "beta"):
        se = fit["parameters"][parameter]["standard_error"]
        check(se is not None and 0 < se < fit["parameters"][parameter]["estimate"],
              f"{name}: standard error of {parameter} is positive", str(se))
    check(fit["retention"]["c"] == 1, f"{name}: sBG snippet has c = 1", str(fit["retention"]))
    fitted_alpha = fit["parameters"]["alpha"]["estimate"]
    fitted_beta = fit["parameters"]["beta"]["estimate"]
    check_near(f"{name}: mean_monthly_churn = alpha/(alpha+beta)",
               fit["mean_monthly_churn"]["estimate"], fitted_alpha / (fitted_alpha + fitted_beta),
               1e-12)
    check_near(f"{name}: polarization = 1/(alpha+beta+1)", fit["polarization"]["estimate"],
               1 / (fitted_alpha + fitted_beta + 1), 1e-12)
    for derived in ("mean_monthly_churn", "polarization"):
        se = fit[derived]["standard_error"]
        check(se is not None and 0 < se < fit[derived]["estimate"],
              f"{name}: standard error of {derived} is positive", str(se))
    check(fit["warnings"] == [], f"{name}: no warnings", str(fit["warnings"]))

# Four right-censored cohorts of different lengths.
fit = fit_json(GOOD / "multi_cohort.csv")
if fit is not None:
    check(fit["cohorts"] == 4 and fit["last_period"] == 4, "multi_cohort: 4 cohorts, periods 0-4",
          str(fit))
    check_near("multi_cohort: alpha", fit["parameters"]["alpha"]["estimate"], 3.80, 0.005)
    check_near("multi_cohort: beta", fit["parameters"]["beta"]["estimate"], 15.19, 0.005)

# BdW: three parameters, never a worse likelihood than sBG (it nests it).
sbg = fit_json(GOOD / "fader_hardie_high_end.csv")
bdw = fit_json(GOOD / "fader_hardie_high_end.csv", "bdw")
if sbg is not None and bdw is not None:
    check(sorted(bdw["parameters"]) == ["alpha", "beta", "c"], "bdw: alpha, beta, c",
          str(bdw["parameters"]))
    check(bdw["log_likelihood"] >= sbg["log_likelihood"] - 1e-6, "bdw: LL >= sBG LL",
          f"bdw {bdw['log_likelihood']}, sbg {sbg['log_likelihood']}")
    check_near("bdw: AIC = 2k - 2LL", bdw["aic"], 6 - 2 * bdw["log_likelihood"], 1e-6)

# The table: parameters, log-likelihood, AIC and the snippet.
table = run(["fit", str(GOOD / "fader_hardie_high_end.csv")])
check(table.returncode == 0, "table: exit 0", table.stderr)
# High-end: m = 0.668/4.474 = 0.1493, phi = 1/5.474 = 0.1827.
for text in ("alpha", "0.668", "3.806", "log-likelihood", "-1611.158", "AIC", "[retention]",
             "std. error", "mean_monthly_churn", "0.1493", "polarization", "0.1826"):
    check(text in table.stdout, f"table mentions {text!r}", table.stdout)

# --toml: the snippet alone, accepted by `cohortsim check` as part of a scenario.
with tempfile.TemporaryDirectory() as tmp:
    for model in ("sbg", "bdw"):
        snippet = run(["fit", str(GOOD / "fader_hardie_regular.csv"), "--model", model, "--toml"])
        check(snippet.returncode == 0, f"--toml --model {model}: exit 0", snippet.stderr)
        check(snippet.stdout.count("[retention]") == 1 and "c = " in snippet.stdout,
              f"--toml --model {model}: one [retention] table with c", snippet.stdout)
        check("# the same prior as mean_monthly_churn = " in snippet.stdout
              and "polarization = " in snippet.stdout,
              f"--toml --model {model}: a comment with mean_monthly_churn and polarization",
              snippet.stdout)
        scenario = pathlib.Path(tmp) / f"fitted_{model}.toml"
        scenario.write_text("[acquisition]\ninitial_customers = 1000\n" + snippet.stdout)
        checked = run(["check", str(scenario)])
        check(checked.returncode == 0, f"--toml --model {model}: cohortsim check accepts it",
              f"stderr: {checked.stderr.strip()}\nsnippet:\n{snippet.stdout}")

# --help.
help_text = run(["fit", "--help"])
check(help_text.returncode == 0 and "--model" in help_text.stdout and "--json" in help_text.stdout,
      "fit --help: exit 0, lists --model and --json", help_text.stdout)

# Every malformed data file: exit 2, message naming file, line, column and value.
expectations = {}
for line in (BAD / "expectations.txt").read_text().splitlines():
    if line.strip() and not line.lstrip().startswith("#"):
        name, expected = (part.strip() for part in line.split("|", 1))
        expectations[name] = expected
bad_files = sorted(p.name for p in BAD.glob("*.csv"))
check(len(bad_files) >= 20, "at least 20 malformed data files", f"found {len(bad_files)}")
check(sorted(expectations) == bad_files, "every malformed file has an expectation and vice versa",
      f"files without: {sorted(set(bad_files) - set(expectations))}; "
      f"expectations without a file: {sorted(set(expectations) - set(bad_files))}")
for name in bad_files:
    expect_input_error(["fit", str(BAD / name)], [expectations.get(name, name)], f"fit {name}")

# Broken command lines.
regular = str(GOOD / "fader_hardie_regular.csv")
with tempfile.TemporaryDirectory() as tmp:
    command_lines = [
        (["fit", "no_such_data.csv"], ["no_such_data.csv", "cannot read data file"]),
        (["fit", tmp], [tmp, "is a directory"]),
        (["fit"], ["DATA.csv"]),
        (["fit", regular, regular], ["exactly one DATA.csv"]),
        (["fit", regular, "--model", "weibull"], ["--model 'weibull'", "sbg", "bdw"]),
        (["fit", regular, "--json", "--toml"], ["--json", "--toml"]),
        (["fit", regular, "--bogus"], ["bogus"]),
    ]
    for args, mentions in command_lines:
        expect_input_error(args, mentions, "command line " + " ".join(args))

checks.finish()
