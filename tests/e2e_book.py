"""End-to-end checks of [book] (README "Starting from today's customers"): a scenario that starts
from an accounts file and one that starts from cohort counts run, their customers are the month-0
stock and not new logos; every malformed file in tests/data/book_bad/ gives exit code 2 from
`run` and `check` with a message naming file, line, column and value, and writes no output file
(expected texts in tests/data/book_bad/expectations.txt); so do a missing file and a [book]
table that names both files or none.

Usage: e2e_book.py <path to cohortsim>
"""
import os
import pathlib
import subprocess
import sys
import tempfile

import h5py

from checks import Checks

COHORTSIM = os.path.abspath(sys.argv[1])
SOURCE = pathlib.Path(os.environ.get("COHORTSIM_SOURCE_DIR", pathlib.Path(__file__).parents[1]))
BAD = SOURCE / "tests" / "data" / "book_bad"

checks = Checks()

SCENARIO = """
[simulation]
horizon_months = 12
replications = 4
[retention]
alpha = 1.0
beta = 8.0
[segments.smb]
share = 0.8
mrr_median = 50.0
[segments.enterprise]
share = 0.2
mrr_median = 3000.0
[cross_sell.products.analytics]
mrr = 40.0
monthly_adoption = 0.01
"""

ACCOUNTS = """segment,tenure_months,mrr,term_months,months_to_renewal,activated,products
smb,14,90,1,1,1,analytics
smb,2,45,1,1,0,
enterprise,30,4200,12,5,1,
"""
COHORTS = """segment,tenure_months,customers
smb,1,300
smb,12,150
enterprise,24,20
"""


def run(args, cwd):
    return subprocess.run([COHORTSIM, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def write_scenario(folder, book_lines):
    path = pathlib.Path(folder) / "scenario.toml"
    path.write_text(SCENARIO + "[book]\n" + "".join(line + "\n" for line in book_lines))
    return path


def expect_input_error(folder, book_lines, expected, label):
    scenario = write_scenario(folder, book_lines)
    output = pathlib.Path(folder) / "out.h5"
    for command in (["run", str(scenario), "-o", str(output), "--quiet"], ["check", str(scenario)]):
        result = run(command, folder)
        what = f"{label} ({command[0]})"
        checks.check(f"{what}: exit code 2", result.returncode == 2,
                     f"got {result.returncode}; stderr: {result.stderr.strip()}")
        checks.check(f"{what}: message names it", expected in result.stderr,
                     f"expected {expected!r}\n    stderr: {result.stderr.strip()}")
        checks.check(f"{what}: no output file", not output.exists() and
                     not any(p.name.startswith("out.h5") for p in pathlib.Path(folder).iterdir()),
                     str(list(pathlib.Path(folder).iterdir())))


def month0(path, name):
    with h5py.File(path, "r") as results:
        return float(results[f"scenarios/scenario/mean/{name}"][0])


with tempfile.TemporaryDirectory() as folder:
    # Good books: the path is relative to the scenario file, not the working directory.
    data = pathlib.Path(folder) / "data"
    data.mkdir()
    (data / "accounts.csv").write_text(ACCOUNTS)
    (data / "cohorts.csv").write_text(COHORTS)
    for book, customers, mrr in [('accounts = "data/accounts.csv"', 3, 90 + 45 + 4200),
                                 ('cohorts = "data/cohorts.csv"', 470, None)]:
        scenario = write_scenario(folder, [book])
        output = pathlib.Path(folder) / "good.h5"
        result = run(["run", str(scenario), "-o", str(output), "--quiet", "--force"], "/")
        if not checks.check(f"{book}: exit 0", result.returncode == 0, result.stderr.strip()):
            continue
        checks.check(f"{book}: the book is the stock at month 0",
                     month0(output, "active_customers") == customers,
                     f"calculated {month0(output, 'active_customers')}, expected {customers}")
        checks.check(f"{book}: not new logos", month0(output, "new_customers") == 0,
                     f"calculated {month0(output, 'new_customers')}")
        if mrr is not None:
            checks.close(f"{book}: MRR at month 0 is the book's", month0(output, "mrr"), mrr)
        checked = run(["check", str(scenario)], "/")
        resolved = str(data / book.split('"')[1].split("/")[1])
        checks.check(f"{book}: check prints the resolved path", resolved in checked.stdout,
                     f"expected {resolved!r} in\n{checked.stdout}")

with tempfile.TemporaryDirectory() as folder:
    count = 0
    for line in (BAD / "expectations.txt").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, name, expected = (part.strip() for part in line.split("|", 2))
        expect_input_error(folder, [f'{kind} = "{BAD / name}"'], expected, name)
        count += 1
    checks.check("every malformed file in book_bad/ is listed",
                 count == len(list(BAD.glob("*.csv"))), f"{count} listed")

    expect_input_error(folder, ['accounts = "no_such_book.csv"'],
                       "scenario.toml:18: key 'book.accounts' = \"no_such_book.csv\": ",
                       "missing file")
    expect_input_error(folder, ['accounts = "no_such_book.csv"'], "cannot read data file",
                       "missing file, why")
    expect_input_error(folder, ['accounts = "a.csv"', 'cohorts = "b.csv"'],
                       "scenario.toml:19: table 'book' gives both accounts and cohorts",
                       "both files")
    expect_input_error(folder, [], "table 'book' names no file; allowed: accounts = ",
                       "no file")
    expect_input_error(folder, ['account = "a.csv"'],
                       "unknown key 'book.account'; did you mean 'book.accounts'?", "typo")

checks.finish()
