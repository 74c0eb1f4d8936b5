"""Golden files: a handful of small runs (bundled strategies, a sales team, today's book, a sweep
with kept paths) must give every dataset, and every numeric attribute of the results, bit for bit
as committed in tests/golden/. A change of behaviour shows up as the datasets it moved.

Usage: e2e_golden.py <path to cohortsim> [--update]

--update rewrites the golden files from this build; a commit that changes them says why. The
files hold a digest per dataset (SHA-256 of its raw bytes, NaN bits included) and its sum, so
that a failure names what moved and by how much; root attributes that name the build, the time
or the command line are left out, and so are text attributes (descriptions).
"""
import hashlib
import json
import os
import pathlib
import subprocess
import sys
import tempfile

import h5py
import numpy as np

from checks import Checks

SOURCE = pathlib.Path(os.environ.get("COHORTSIM_SOURCE_DIR", pathlib.Path(__file__).parents[1]))
GOLDEN = SOURCE / "tests" / "golden"
SCENARIOS = SOURCE / "scenarios"
SMALL = ["--replications", "6", "--seed", "20261129", "--quiet"]

# name: (scenario files, extra arguments). Horizons past 12 months reach the trailing windows.
RUNS = {
    "strategies": (["baseline.toml", "annual_contracts.toml", "win_back.toml",
                    "net_negative_churn.toml"], ["--horizon", "15"]),
    "team": (["teams/company.toml", "teams/split_team.toml", "teams/generalist_team.toml"],
             ["--horizon", "14"]),
    "book": (["examples/todays_book.toml"], ["--horizon", "14"]),
    "sweep": (["save_desk.toml"], ["--horizon", "13", "--sweep", "save_desk.save_rate=0.1,0.4",
                                   "--keep-paths"]),
}


def digest(values):
    return hashlib.sha256(np.ascontiguousarray(values).tobytes()).hexdigest()[:16]


def fingerprint(path):
    """Every dataset and numeric attribute of the file: path -> 'digest shape sum'."""
    entries = {}

    def describe(name, values):
        values = np.asarray(values)
        total = float(np.nansum(values)) if values.dtype.kind in "fiu" else 0.0
        entries[name] = f"{digest(values)} {list(values.shape)} {total:.9g}"

    def visit(name, item):
        for key, value in item.attrs.items():
            if isinstance(value, (bytes, str)) or np.asarray(value).dtype.kind in "SUO":
                continue
            if key in ("DIMENSION_LIST", "REFERENCE_LIST", "_Netcdf4Dimid"):
                continue
            describe(f"{name}@{key}", value)
        if isinstance(item, h5py.Dataset) and item.dtype.kind in "fiub":
            describe(name, item[()])

    with h5py.File(path, "r") as f:
        f.visititems(visit)
        for key in ("seed", "replications", "format_version"):
            describe(f"@{key}", f.attrs[key])
    return entries


def run(cohortsim, name, directory):
    files, extra = RUNS[name]
    output = os.path.join(directory, f"{name}.h5")
    proc = subprocess.run([cohortsim, "run", *[str(SCENARIOS / f) for f in files], *extra,
                           *SMALL, "-o", output], capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise SystemExit(f"golden run {name} failed ({proc.returncode}): {proc.stderr}")
    return fingerprint(output)


def main():
    cohortsim = os.path.abspath(sys.argv[1])
    update = "--update" in sys.argv[2:]
    checks = Checks()
    with tempfile.TemporaryDirectory(prefix="cohortsim-golden-") as directory:
        for name in RUNS:
            got = run(cohortsim, name, directory)
            golden = GOLDEN / f"{name}.json"
            if update:
                GOLDEN.mkdir(exist_ok=True)
                golden.write_text(json.dumps(got, indent=0, sort_keys=True) + "\n")
                print(f"wrote {golden.relative_to(SOURCE)}: {len(got)} entries")
                continue
            if not checks.check(f"{name}: golden file exists", golden.is_file(),
                                f"no {golden}; run e2e_golden.py <cohortsim> --update"):
                continue
            want = json.loads(golden.read_text())
            moved = sorted(k for k in want.keys() & got.keys() if want[k] != got[k])
            detail = "; ".join(f"{k}: {want[k]} -> {got[k]}" for k in moved[:12])
            checks.check(f"{name}: every dataset bit for bit as committed ({len(want)})",
                         not moved, f"{len(moved)} moved: {detail}")
            checks.check(f"{name}: the same datasets as committed", want.keys() == got.keys(),
                         f"new: {sorted(got.keys() - want.keys())[:12]}; "
                         f"gone: {sorted(want.keys() - got.keys())[:12]}")
    if not update:
        checks.finish()


if __name__ == "__main__":
    main()
