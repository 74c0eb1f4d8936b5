"""End-to-end: `cohortsim run` writes a results file that h5py, xarray (h5netcdf) and the
notebooks' reader module read as README "Results file" says.

Usage: python3 e2e_results_file.py <path-to-cohortsim>
"""

import os
import shutil
import subprocess
import sys
import tempfile
import traceback

import h5py
import numpy as np
import xarray as xr

from checks import Checks, cohortsim_argument

try:
    import cohortsim_results as cr
except ImportError:  # run by hand, without ctest's PYTHONPATH
    source = os.environ.get(
        "COHORTSIM_SOURCE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    )
    sys.path.insert(0, os.path.join(source, "notebooks"))
    import cohortsim_results as cr

SCENARIO_TOML = """\
[acquisition]
initial_customers = 2000
new_per_month = 50
[retention]
alpha = 1.2
beta = 6.0
[simulation]
horizon_months = 12
"""
HORIZON = 12
REPLICATIONS = 20
SEED = 7
REQUIRED_METRICS = [
    "active_customers",
    "new_customers",
    "churned_customers",
    "mrr",
    "logo_churn_rate",
]
# Metrics whose per-month value is a plain count or sum, so their mean and std across
# replications must equal those of the kept paths.
ADDITIVE_METRICS = ["active_customers", "new_customers", "churned_customers", "mrr"]
STAT_GROUPS = ["mean", "std", "stderr", "quantiles", "paths", "churn_reasons"]
STATS_FOR_READER = ["mean", "std", "stderr", "quantiles", "paths"]


def is_scale(dataset):
    return dataset.attrs.get("CLASS") in (b"DIMENSION_SCALE", "DIMENSION_SCALE")


def temporary_files(directory):
    return [n for n in os.listdir(directory) if ".tmp-" in n]


def run(cohortsim, *args):
    return subprocess.run([cohortsim, *args], capture_output=True, text=True, timeout=900)


def file_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def check_file_metadata(checks, out):
    with h5py.File(out, "r") as f:
        attrs = dict(f.attrs)
        checks.check("root format", attrs.get("format") == "cohortsim-results",
                     f"calculated {attrs.get('format')!r}, expected 'cohortsim-results'")
        checks.check("root format_version", attrs.get("format_version") == 1,
                     f"calculated {attrs.get('format_version')!r}, expected 1")
        checks.check("root seed", attrs.get("seed") == SEED,
                     f"calculated {attrs.get('seed')!r}, expected {SEED}")
        checks.check("root replications", attrs.get("replications") == REPLICATIONS,
                     f"calculated {attrs.get('replications')!r}, expected {REPLICATIONS}")
        for name in ["engine_version", "git_sha", "created_utc", "command_line"]:
            checks.check(f"root {name} is a non-empty str",
                         isinstance(attrs.get(name), str) and attrs.get(name) != "",
                         f"calculated {attrs.get(name)!r}")

        missing = []

        def visit(path, obj):
            if isinstance(obj, h5py.Dataset):
                for attr in ("units", "description"):
                    value = obj.attrs.get(attr)
                    if not isinstance(value, str) or not value:
                        missing.append(f"{path}@{attr} = {value!r}")

        f.visititems(visit)
        checks.check("every dataset has non-empty str units and description", not missing,
                     "\n    ".join(missing))


def check_xarray_groups(checks, out, scenario):
    with h5py.File(out, "r") as f:
        quantile_levels = f[f"scenarios/{scenario}/quantile"][()]
    months = np.arange(HORIZON + 1)
    for stat in STAT_GROUPS:
        where = f"scenarios/{scenario}/{stat}"
        with xr.open_dataset(out, group=where, engine="h5netcdf") as ds:
            checks.check(f"{where}: has variables", len(ds.data_vars) > 0, f"{ds}")
            if not checks.check(f"{where}: month coordinate", "month" in ds.coords, f"{ds}"):
                continue
            checks.equal_arrays(f"{where}: month values 0..{HORIZON}", ds["month"].values, months)
            expected_dims = {"quantiles": ("quantile", "month"),
                             "paths": ("replication", "month")}.get(stat, ("month",))
            for name, var in ds.data_vars.items():
                checks.check(f"{where}/{name}: dims", var.dims == expected_dims,
                             f"calculated {var.dims}, expected {expected_dims}")
                checks.check(f"{where}/{name}: units and description kept",
                             bool(var.attrs.get("units")) and bool(var.attrs.get("description")),
                             f"attrs {var.attrs}")
            if stat == "quantiles":
                checks.equal_arrays(f"{where}: quantile values", ds["quantile"].values,
                                    quantile_levels)
            if stat == "paths":
                checks.equal_arrays(f"{where}: replication values", ds["replication"].values,
                                    np.arange(REPLICATIONS))
    where = f"scenarios/{scenario}/cohorts"
    with xr.open_dataset(out, group=where, engine="h5netcdf") as ds:
        var = ds.get("logo_retention")
        if checks.check(f"{where}: logo_retention present", var is not None, f"{ds}"):
            checks.check(f"{where}/logo_retention: dims", var.dims == ("cohort", "age"),
                         f"calculated {var.dims}, expected ('cohort', 'age')")
            for dim in ("cohort", "age"):
                checks.check(f"{where}: {dim} coordinate", dim in ds.coords, f"{ds}")
                if dim in ds.coords:
                    checks.equal_arrays(f"{where}: {dim} values", ds[dim].values,
                                        np.arange(var.sizes[dim]))
            checks.check(f"{where}/logo_retention: units and description kept",
                         bool(var.attrs.get("units")) and bool(var.attrs.get("description")),
                         f"attrs {var.attrs}")


def check_reader(checks, out, scenario):
    results = cr.open_results(out)
    checks.check("open_results: scenarios", results.scenarios == [scenario],
                 f"calculated {results.scenarios}, expected {[scenario]}")
    checks.check("open_results: attrs", results.attrs.get("seed") == SEED
                 and results.attrs.get("format_version") == 1, f"calculated {results.attrs}")

    with h5py.File(out, "r") as f:
        base = f[f"scenarios/{scenario}"]
        metrics = [n for n, d in base["mean"].items() if not is_scale(d)]
        missing = [m for m in REQUIRED_METRICS if m not in metrics]
        checks.check("required metric names present", not missing,
                     f"missing {missing}; file has {metrics}")

        for stat in STATS_FOR_READER:
            ds = cr.load_stat(results, scenario, stat)
            group = base[stat]
            for name in metrics:
                raw = group[name][()]
                checks.equal_arrays(f"load_stat {stat}/{name} equals raw",
                                    ds[name].values if name in ds else None, raw)
                attrs = ds[name].attrs if name in ds else {}
                checks.check(f"load_stat {stat}/{name} keeps units",
                             attrs.get("units") == group[name].attrs.get("units"), f"attrs {attrs}")

        paths = base["paths"]
        for name in ADDITIVE_METRICS:
            if name not in paths:
                checks.check(f"paths/{name} kept", False, f"paths has {list(paths)}")
                continue
            p = paths[name][()]
            checks.check(f"paths/{name} shape", p.shape == (REPLICATIONS, HORIZON + 1),
                         f"calculated {p.shape}, expected {(REPLICATIONS, HORIZON + 1)}")
            mean, std = base["mean"][name][()], base["std"][name][()]
            checks.close(f"mean/{name} is the mean of its paths", mean, p.mean(axis=0))
            checks.close(f"std/{name} is the sample std of its paths", std,
                                p.std(axis=0, ddof=1))
            checks.close(f"stderr/{name} is std / sqrt(replications)",
                                base["stderr"][name][()], std / np.sqrt(REPLICATIONS))
            q = base["quantiles"][name][()]
            low, high = p.min(axis=0), p.max(axis=0)
            checks.check(f"quantiles/{name} within the range of its paths",
                         ((q >= low - 1e-9) & (q <= high + 1e-9)).all(),
                         f"quantiles {q}\n    path min {low}\n    path max {high}")

        cohorts = base["cohorts/logo_retention"]
        raw = cohorts[()]
        fill = cohorts.attrs.get("_FillValue")
        checks.check("cohorts/logo_retention has a _FillValue", fill is not None,
                     f"attrs {dict(cohorts.attrs)}")
        frame = cr.cohort_matrix(results, scenario)
        expected = np.where(raw == fill, np.nan, raw) if fill is not None else raw
        checks.equal_arrays("cohort_matrix equals raw with fill as NaN", frame.to_numpy(), expected)
        checks.equal_arrays("cohort_matrix index", frame.index.to_numpy(),
                            np.arange(raw.shape[0]))
        checks.equal_arrays("cohort_matrix columns", frame.columns.to_numpy(),
                            np.arange(raw.shape[1]))

        reasons_group = base["churn_reasons"]
        reasons = [n for n, d in reasons_group.items() if not is_scale(d)]
        frame = cr.churn_reasons(results, scenario)
        checks.check("churn_reasons columns", list(frame.columns) == reasons,
                     f"calculated {list(frame.columns)}, expected {reasons}")
        checks.equal_arrays("churn_reasons index", frame.index.to_numpy(), np.arange(HORIZON + 1))
        for name in reasons:
            checks.equal_arrays(f"churn_reasons {name} equals raw",
                                frame[name].to_numpy() if name in frame else None,
                                reasons_group[name][()])

        text = cr.scenario_text(results, scenario)
        checks.check("scenario_text is the scenario attribute",
                     text == base.attrs["scenario"] and "horizon_months" in text,
                     f"calculated {text!r}")


def check_version_refusal(checks, out, directory):
    for attr, value, words in [("format_version", 2, ["2", "1"]),
                               ("format", "something-else", ["something-else"])]:
        copy = os.path.join(directory, f"copy-{attr}.h5")
        shutil.copyfile(out, copy)
        with h5py.File(copy, "r+") as f:
            f.attrs[attr] = value
        try:
            cr.open_results(copy)
            checks.check(f"open_results refuses {attr}={value!r}", False, "no exception raised")
        except cr.UnsupportedFormatError as error:
            message = str(error)
            checks.check(f"open_results refuses {attr}={value!r}",
                         isinstance(error, ValueError) and all(w in message for w in words),
                         f"message {message!r} should mention {words}")


def check_no_clobber(checks, cohortsim, scenario_path, out, directory):
    before = file_bytes(out)
    proc = run(cohortsim, "run", scenario_path, "-o", out, "--replications", "2", "--quiet")
    checks.check("second run without --force exits 2", proc.returncode == 2,
                 f"exit code {proc.returncode}, expected 2; stderr: {proc.stderr}")
    checks.check("second run without --force says the file exists", "exists" in proc.stderr,
                 f"stderr: {proc.stderr!r}")
    checks.check("second run without --force leaves the file unchanged", file_bytes(out) == before)
    checks.check("no temporary file left", not temporary_files(directory),
                 f"found {temporary_files(directory)}")
    proc = run(cohortsim, "run", scenario_path, "-o", out, "--replications", "2", "--quiet",
               "--force")
    checks.check("run with --force exits 0", proc.returncode == 0,
                 f"exit code {proc.returncode}, expected 0; stderr: {proc.stderr}")
    checks.check("run with --force replaced the file",
                 cr.open_results(out).attrs.get("replications") == 2,
                 f"replications {cr.open_results(out).attrs.get('replications')}, expected 2")


def main():
    cohortsim = cohortsim_argument(__doc__)
    checks = Checks()
    with tempfile.TemporaryDirectory(prefix="cohortsim-e2e-results-") as directory:
        scenario_path = os.path.join(directory, "small.toml")
        with open(scenario_path, "w") as f:
            f.write(SCENARIO_TOML)
        out = os.path.join(directory, "out.h5")
        proc = run(cohortsim, "run", scenario_path, "-o", out, "--replications", str(REPLICATIONS),
                   "--keep-paths", "--quiet", "--seed", str(SEED))
        checks.check("run exits 0", proc.returncode == 0,
                     f"exit code {proc.returncode}, expected 0; stderr: {proc.stderr}")
        if checks.check("output file written", os.path.isfile(out), f"no file at {out}"):
            checks.check("no temporary file left", not temporary_files(directory),
                         f"found {temporary_files(directory)}")
            for section, args in [
                (check_file_metadata, (out,)),
                (check_xarray_groups, (out, "small")),
                (check_reader, (out, "small")),
                (check_version_refusal, (out, directory)),
                (check_no_clobber, (cohortsim, scenario_path, out, directory)),
            ]:
                # An exception fails its section only, so the other sections still report.
                try:
                    section(checks, *args)
                except Exception:
                    checks.check(f"{section.__name__} ran to the end", False,
                                 traceback.format_exc().replace("\n", "\n    "))
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
