"""End-to-end: strategy comparison as users run it. Several scenarios in one `run` are compared
with the first under common random numbers (/comparisons/<b>_vs_<a>/), `--sweep` runs every value
of a grid as its own scenario group, and `cohortsim summary` prints exactly the file's numbers.

Usage: python3 e2e_comparison.py <path-to-cohortsim>
"""

import csv
import io
import math
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import tomllib
import traceback

import h5py
import numpy as np
import xarray as xr

from checks import Checks, cohortsim_argument

BASE = """\
name = "base"
[simulation]
horizon_months = 12
replications = 20
[acquisition]
initial_customers = 800
new_per_month = 40
[retention]
alpha = 1.0
beta = 40.0
[onboarding]
months = 3
activation_per_month = 0.5
stalled_hazard = 0.05
low_adoption_multiplier = 1.8
[upsell]
monthly_probability = 0.05
[upsell.tiers.pro]
multiplier = 1.5
"""
# The same company under another name: every difference must be exactly zero.
TWIN = BASE.replace('name = "base"', 'name = "twin"')
# A modest intervention: faster activation.
PROGRAMME = BASE.replace('name = "base"', 'name = "programme"').replace(
    "activation_per_month = 0.5", "activation_per_month = 0.8")
HORIZON = 12
REPLICATIONS = 20
T_975_19 = 2.093024054408263  # Student t, 0.975 quantile, 19 degrees of freedom
HEADLINE = ["active_customers", "mrr", "arr", "npv", "cumulative_operating_profit",
            "cumulative_cash", "nrr", "grr", "logo_churn_rate_12m"]
MONEY = ["roi", "break_even_month"]  # one number per comparison
MONTH_KPI = "first_net_negative_churn_month"
COMPARISON_STATS = ["mean", "std", "ci_low", "ci_high"]


def run(cohortsim, *args, cwd=None):
    return subprocess.run([cohortsim, *args], capture_output=True, text=True, timeout=900, cwd=cwd)


def is_scale(dataset):
    return dataset.attrs.get("CLASS") in (b"DIMENSION_SCALE", "DIMENSION_SCALE")


def variables(group):
    return [n for n, d in group.items() if isinstance(d, h5py.Dataset) and not is_scale(d)]


def check_layout(checks, out):
    """Every dataset described; comparisons readable by xarray with a month coordinate."""
    with h5py.File(out, "r") as f:
        comparisons = list(f["comparisons"])
        checks.check("one comparison per scenario after the first, in run order",
                     comparisons == ["twin_vs_base", "programme_vs_base"], f"found {comparisons}")
        checks.check("/comparisons names its baseline", f["comparisons"].attrs.get("baseline") == "base",
                     f"attrs {dict(f['comparisons'].attrs)}")
        metrics = variables(f["scenarios/base/mean"])
        missing = []

        def visit(path, obj):
            if isinstance(obj, h5py.Dataset):
                for attr in ("units", "description"):
                    value = obj.attrs.get(attr)
                    if not isinstance(value, str) or not value:
                        missing.append(f"{path}@{attr}")

        f.visititems(visit)
        checks.check("every dataset has units and description", not missing, ", ".join(missing))
        for name in comparisons:
            group = f[f"comparisons/{name}"]
            checks.check(f"{name}: attributes", group.attrs.get("baseline") == "base"
                         and group.attrs.get("scenario") == name.split("_vs_")[0]
                         and group.attrs.get("confidence") == 0.95
                         and group.attrs.get("replications") == REPLICATIONS
                         and group.attrs.get("horizon_months") == HORIZON, f"{dict(group.attrs)}")
            for stat in COMPARISON_STATS:
                where = f"comparisons/{name}/{stat}"
                checks.check(f"{where}: one dataset per metric", variables(f[where]) == metrics,
                             f"calculated {variables(f[where])}, expected {metrics}")
                with xr.open_dataset(out, group=where, engine="h5netcdf") as ds:
                    if checks.check(f"{where}: month coordinate", "month" in ds.coords, f"{ds}"):
                        checks.close(f"{where}: months 0..{HORIZON}", ds["month"].values,
                                     np.arange(HORIZON + 1))
                    for metric in ("arr", "active_customers"):
                        var = ds.get(metric)
                        checks.check(f"{where}/{metric}: dims (month,) and the metric's units",
                                     var is not None and var.dims == ("month",)
                                     and var.attrs.get("units")
                                     == f[f"scenarios/base/mean/{metric}"].attrs["units"],
                                     f"{var}")
            where = f"comparisons/{name}/kpis"
            with xr.open_dataset(out, group=where, engine="h5netcdf") as ds:
                checks.check(f"{where}: the headline KPIs over replication",
                             list(ds.data_vars) == HEADLINE + [MONTH_KPI]
                             and "replication" in ds.coords, f"{ds}")
                for kpi in HEADLINE + [MONTH_KPI]:
                    attrs = ds[kpi].attrs if kpi in ds else {}
                    need = ["mean_difference", "ci_low", "ci_high", "p_b_better", "pairs", "better"]
                    checks.check(f"{where}/{kpi}: attributes", all(a in attrs for a in need),
                                 f"attrs {attrs}")


def check_finite(checks, out):
    """Undefined values are NaN, and only where the dataset says what NaN means (an
    `undefined_when` attribute); never infinity, never NaN in an undescribed dataset."""
    bad = []
    with h5py.File(out, "r") as f:
        def visit(name, obj):
            described = bool(obj.attrs.get("undefined_when"))
            if isinstance(obj, h5py.Dataset) and obj.dtype.kind == "f":
                values = obj[()]
                if np.any(np.isinf(values)) or (np.any(np.isnan(values)) and not described):
                    bad.append(name)
            for key, value in obj.attrs.items():
                array = np.asarray(value)
                if array.dtype.kind == "f" and (np.any(np.isinf(array))
                                                or (np.any(np.isnan(array)) and not described)):
                    bad.append(f"{name}@{key}")
        f.visititems(visit)
    checks.check("NaN only where undefined_when says what it means, no infinity", not bad,
                 f"found in {bad[:10]}")


def check_twin(checks, out):
    check_finite(checks, out)
    with h5py.File(out, "r") as f:
        group = f["comparisons/twin_vs_base"]
        nonzero = []
        for stat in COMPARISON_STATS:
            for name in variables(group[stat]):
                values = group[stat][name][()]
                undefined = np.isnan(f[f"scenarios/base/mean/{name}"][()])
                # NaN only where the metric is undefined in every replication of both.
                if np.any((values != 0.0) & ~(np.isnan(values) & undefined)):
                    nonzero.append(f"{stat}/{name}")
        checks.check("twin - base: every difference, std and interval exactly 0 (NaN where "
                     "undefined)", not nonzero, f"nonzero: {nonzero}")
        for kpi in HEADLINE + [MONTH_KPI]:
            d = group["kpis"][kpi]
            values = d[()]
            reached = ~np.isnan(f[f"scenarios/base/kpis/{kpi}"][()]) if kpi == MONTH_KPI \
                else np.ones(values.shape, bool)
            checks.check(f"twin - base: kpis/{kpi} differences 0 where defined, NaN elsewhere",
                         np.all(np.where(reached, values == 0.0, np.isnan(values))), f"{values}")
            checks.check(f"twin - base: kpis/{kpi} P(better) = 0.5 (all ties)",
                         d.attrs["p_b_better"] == 0.5, f"{d.attrs['p_b_better']}")
            if d.attrs["pairs"] > 0:
                checks.check(f"twin - base: kpis/{kpi} mean difference 0",
                             d.attrs["mean_difference"] == 0.0, f"{d.attrs['mean_difference']}")


def check_programme(checks, out):
    """The file's paired differences recomputed from the kept paths."""
    with h5py.File(out, "r") as f:
        group = f["comparisons/programme_vs_base"]
        a_paths, b_paths = f["scenarios/base/paths"], f["scenarios/programme/paths"]
        for name in variables(group["mean"]):
            d = b_paths[name][()] - a_paths[name][()]
            mean, std = d.mean(axis=0), d.std(axis=0, ddof=1)
            half = T_975_19 * std / math.sqrt(REPLICATIONS)
            scale = np.abs(mean) + std + 1.0
            checks.close(f"programme - base: mean/{name}", group["mean"][name][()] / scale,
                         mean / scale)
            checks.close(f"programme - base: std/{name}", group["std"][name][()] / scale,
                         std / scale)
            checks.close(f"programme - base: ci_low/{name}", group["ci_low"][name][()] / scale,
                         (mean - half) / scale)
            checks.close(f"programme - base: ci_high/{name}", group["ci_high"][name][()] / scale,
                         (mean + half) / scale)
        kpis = group["kpis"]
        for kpi in HEADLINE:
            a, b = a_paths[kpi][:, -1], b_paths[kpi][:, -1]
            checks.close(f"kpis/{kpi}: b - a at month {HORIZON}", kpis[kpi][()], b - a)
            lower = kpi == "logo_churn_rate_12m"
            wins = (b < a) if lower else (b > a)
            expected = (wins.sum() + 0.5 * (a == b).sum()) / REPLICATIONS
            checks.close(f"kpis/{kpi}: P(better)", kpis[kpi].attrs["p_b_better"], expected)
            checks.close(f"kpis/{kpi}: mean difference", kpis[kpi].attrs["mean_difference"],
                         (b - a).mean(), 1e-7)
        a = f[f"scenarios/base/kpis/{MONTH_KPI}"][()]
        b = f[f"scenarios/programme/kpis/{MONTH_KPI}"][()]
        both = ~np.isnan(a) & ~np.isnan(b)
        month = kpis[MONTH_KPI]
        # The scenario is tuned so that some replications reach it and some do not.
        checks.check(f"kpis/{MONTH_KPI}: some replications reach it in both, some not",
                     2 <= both.sum() < REPLICATIONS, f"base {a}, programme {b}")
        checks.check(f"kpis/{MONTH_KPI}: differences where both reach it, NaN elsewhere",
                     np.array_equal(month[()], np.where(both, b - a, np.nan), equal_nan=True),
                     f"{month[()]} vs {np.where(both, b - a, np.nan)}")
        checks.check(f"kpis/{MONTH_KPI}: pairs", month.attrs["pairs"] == both.sum(),
                     f"{month.attrs['pairs']} vs {both.sum()}")
        checks.close(f"kpis/{MONTH_KPI}: mean difference over the pairs",
                     month.attrs["mean_difference"], (b - a)[both].mean())
        # Over the replications where either reaches it; never is worse than any month.
        never_a, never_b = np.where(np.isnan(a), np.inf, a), np.where(np.isnan(b), np.inf, b)
        either = ~(np.isnan(a) & np.isnan(b))
        expected = (((never_b < never_a) & either).sum()
                    + 0.5 * ((never_a == never_b) & either).sum()) / either.sum()
        checks.close(f"kpis/{MONTH_KPI}: P(better), never worst", month.attrs["p_b_better"],
                     expected)


def number(text):
    return float(text) if text != "" else math.nan


def same(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == b


def check_summary(checks, cohortsim, out, run_stdout):
    """`summary --csv` holds the file's numbers exactly; the text is what `run` printed."""
    proc = run(cohortsim, "summary", out)
    checks.check("summary exits 0", proc.returncode == 0, proc.stderr)
    printed = run_stdout.split("\nwrote ")[0].rstrip("\n")
    checks.check("summary prints what run printed", proc.stdout.rstrip("\n") == printed,
                 f"summary:\n{proc.stdout}\nrun:\n{printed}")
    proc = run(cohortsim, "summary", out, "--csv")
    checks.check("summary --csv exits 0", proc.returncode == 0, proc.stderr)
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    kpis = HEADLINE + [MONTH_KPI]
    checks.check("summary --csv: one row per (scenario, KPI), then the comparison's money",
                 [(r["scenario"], r["kpi"]) for r in rows]
                 == [(s, k) for s in ("base", "twin", "programme")
                     for k in kpis + (MONEY if s != "base" else [])],
                 f"{[(r['scenario'], r['kpi']) for r in rows]}")
    mismatches = []
    with h5py.File(out, "r") as f:
        for row in rows:
            scenario, kpi = row["scenario"], row["kpi"]
            if kpi in MONEY:
                value = f[f"comparisons/{scenario}_vs_base/{kpi}"][()]
                if not same(number(row["mean_difference"]), float(value)):
                    mismatches.append(f"{scenario}/{kpi}: csv {row['mean_difference']!r}, "
                                      f"file {value!r}")
                continue
            base = f[f"scenarios/{scenario}"]
            levels = list(base["quantile"][()])
            low, high = levels.index(0.05), levels.index(0.95)
            if kpi in HEADLINE:
                expected = {"mean": base["mean"][kpi][-1], "q05": base["quantiles"][kpi][low, -1],
                            "q95": base["quantiles"][kpi][high, -1], "share_defined": math.nan}
            else:
                d = base["kpis"][kpi]
                reached = d.attrs["share_defined"] > 0
                expected = {"mean": d.attrs["mean"] if reached else math.nan,
                            "q05": d.attrs["quantile_5"] if reached else math.nan,
                            "q95": d.attrs["quantile_95"] if reached else math.nan,
                            "share_defined": d.attrs["share_defined"]}
            if scenario != "base":
                c = f[f"comparisons/{scenario}_vs_base/kpis/{kpi}"]
                expected.update(mean_difference=c.attrs["mean_difference"],
                                ci_low=c.attrs["ci_low"], ci_high=c.attrs["ci_high"],
                                p_better=c.attrs["p_b_better"], pairs=c.attrs["pairs"])
                if row["baseline"] != "base":
                    mismatches.append(f"{scenario}/{kpi}: baseline {row['baseline']!r}")
            for column, value in expected.items():
                if not same(number(row[column]), float(value)):
                    mismatches.append(f"{scenario}/{kpi}/{column}: csv {row[column]!r}, file {value!r}")
    checks.check("summary --csv numbers equal the file's exactly", not mismatches,
                 "\n    ".join(mismatches))


def check_sweeps(checks, cohortsim, directory, base_path):
    out = os.path.join(directory, "sweep.h5")
    proc = run(cohortsim, "run", base_path, "-o", out, "--quiet", "--replications", "4",
               "--sweep", "onboarding.activation_per_month=0.5,0.65,0.8")
    if not checks.check("sweep of 3 values exits 0", proc.returncode == 0, proc.stderr):
        return
    values = [0.5, 0.65, 0.8]
    names = [f"base__onboarding.activation_per_month={v}" for v in values]
    with h5py.File(out, "r") as f:
        checks.check("sweep writes 3 scenario groups named after the values",
                     list(f["scenarios"]) == names, f"{list(f['scenarios'])}")
        checks.check("sweep compares every variant with the first",
                     list(f["comparisons"]) == [f"{n}_vs_{names[0]}" for n in names[1:]],
                     f"{list(f['comparisons'])}")
        for name, value in zip(names, values):
            group = f[f"scenarios/{name}"]
            text = group.attrs["scenario"]
            applied = tomllib.loads(text)["onboarding"]["activation_per_month"]
            checks.check(f"{name}: the stored scenario text has the value", applied == value,
                         f"parsed {applied}, expected {value}\n{text[:400]}")
            checks.check(f"{name}: swept attributes",
                         group.attrs.get("sweep") == "onboarding.activation_per_month"
                         and group.attrs.get("swept_onboarding.activation_per_month") == value,
                         f"{dict((k, v) for k, v in group.attrs.items() if k != 'scenario')}")
        with xr.open_dataset(out, group=f"scenarios/{names[1]}/mean", engine="h5netcdf") as ds:
            checks.check("xarray opens a sweep variant's group", "arr" in ds, f"{ds}")

    out = os.path.join(directory, "grid.h5")
    proc = run(cohortsim, "run", base_path, "-o", out, "--quiet", "--replications", "2",
               "--sweep", "retention.beta=20:30:5", "--sweep", "onboarding.months=2,3")
    if not checks.check("grid sweep exits 0", proc.returncode == 0, proc.stderr):
        return
    expected = [(beta, months) for beta in (20, 25, 30) for months in (2, 3)]
    with h5py.File(out, "r") as f:
        names = list(f["scenarios"])
        checks.check("grid: 3 x 2 groups in the order given",
                     names == [f"base__retention.beta={b}__onboarding.months={m}"
                               for b, m in expected], f"{names}")
        for name, (beta, months) in zip(names, expected):
            parsed = tomllib.loads(f[f"scenarios/{name}"].attrs["scenario"])
            checks.check(f"{name}: values applied",
                         parsed["retention"]["beta"] == beta
                         and parsed["onboarding"]["months"] == months, f"{parsed['retention']}")

    # A sweep that names its scenario leaves the others alone; --baseline picks the base.
    other_path = os.path.join(directory, "other.toml")
    with open(other_path, "w") as f:
        f.write(f'extends = "{os.path.basename(base_path)}"\nname = "other"\n')
    out = os.path.join(directory, "scoped.h5")
    proc = run(cohortsim, "run", base_path, other_path, "-o", out, "--quiet", "--replications",
               "2", "--sweep", "other:retention.beta=20,30", "--baseline",
               "other__retention.beta=30")
    if checks.check("scoped sweep with --baseline exits 0", proc.returncode == 0, proc.stderr):
        with h5py.File(out, "r") as f:
            names = list(f["scenarios"])
            checks.check("scoped sweep: the named scenario's variants only, the baseline first",
                         names == ["other__retention.beta=30", "base",
                                   "other__retention.beta=20"], f"{names}")
            checks.check("--baseline: every other scenario compared with it",
                         list(f["comparisons"]) == [f"{n}_vs_other__retention.beta=30"
                                                    for n in names[1:]],
                         f"{list(f['comparisons'])}")
    for args, mention in [
        (["--sweep", "nosuch:retention.beta=20,30"], "no scenario named 'nosuch'"),
        (["--baseline", "nosuch"], "--baseline nosuch"),
        (["--sweep", "retention.beta=1:2:0"], "--sweep retention.beta=1:2:0"),
        (["--sweep", "retention.beta=5:1:1"], "--sweep retention.beta=5:1:1"),
        (["--sweep", "retention.beta=1:5000:1"], "1000"),
        (["--sweep", "retention.beta=0:40:1", "--sweep", "retention.alpha=1:40:1"], "1000"),
        (["--sweep", "simulation.seed=1,2"], "simulation.seed"),
        (["--sweep", "retention.alpah=1,2"], "retention.alpah"),
        (["--sweep", "retention.beta=-1,2"], "retention.beta"),
    ]:
        bad = os.path.join(directory, "bad.h5")
        proc = run(cohortsim, "run", base_path, "-o", bad, "--quiet", *args)
        checks.check(f"{' '.join(args)}: exit 2 naming {mention!r}, no file",
                     proc.returncode == 2 and mention in proc.stderr and not os.path.exists(bad),
                     f"exit {proc.returncode}: {proc.stderr.strip()}")


def check_summary_errors(checks, cohortsim, directory, out):
    proc = run(cohortsim, "summary", os.path.join(directory, "missing.h5"))
    checks.check("summary of a missing file: exit 2 naming it",
                 proc.returncode == 2 and "missing.h5" in proc.stderr, proc.stderr)
    other = os.path.join(directory, "other.h5")
    with h5py.File(other, "w") as f:
        f.attrs["format"] = "something-else"
    proc = run(cohortsim, "summary", other)
    checks.check("summary of another HDF5 file: exit 2", proc.returncode == 2
                 and "not a cohortsim results file" in proc.stderr, proc.stderr)
    newer = os.path.join(directory, "newer.h5")
    shutil.copyfile(out, newer)
    with h5py.File(newer, "r+") as f:
        f.attrs["format_version"] = np.int32(2)
    proc = run(cohortsim, "summary", newer)
    checks.check("summary of format_version 2: exit 2 naming it", proc.returncode == 2
                 and "format_version 2" in proc.stderr, proc.stderr)


def table_blocks(text):
    """The blocks of the KPI table: lists of lines, each block starting with its header."""
    lines = text.split("\n(net negative churn month")[0].splitlines()[1:]
    blocks = []
    for line in lines:
        if line.startswith("scenario"):
            blocks.append([])
        if blocks and line:
            blocks[-1].append(line)
    return blocks


def check_summary_layout(checks, cohortsim, out, scenarios):
    """The text fits in 100 columns, every block of the KPI table names every scenario;
    --wide gives one table; rate differences are in percentage points."""
    proc = run(cohortsim, "summary", out)
    text = proc.stdout
    widest = max(len(line) for line in text.splitlines())
    checks.check("summary fits in 100 columns", proc.returncode == 0 and widest <= 100,
                 f"widest line {widest}:\n{text}")
    blocks = table_blocks(text)
    checks.check("summary: the KPI table in several blocks, each naming every scenario",
                 len(blocks) >= 2 and all([line.split()[0] for line in block[1:]] == scenarios
                                          for block in blocks), f"{blocks}")
    headers = " ".join(block[0] for block in blocks)
    checks.check("summary: every KPI heading in some block",
                 all(label in headers for label in ("customers", "MRR", "ARR", "NRR %", "GRR %",
                                                    "12-month logo churn %",
                                                    "net negative churn month")), headers)
    comparison = text.split("Paired differences", 1)[-1]
    checks.check("summary: rate differences labelled pp, not %",
                 "12-month logo churn pp" in comparison and "NRR pp" in comparison
                 and "churn %" not in comparison, comparison)
    proc = run(cohortsim, "summary", out, "--wide")
    blocks = table_blocks(proc.stdout)
    checks.check("summary --wide: one KPI table with every heading on one line",
                 proc.returncode == 0 and len(blocks) == 1 and "net negative churn month"
                 in blocks[0][0] and "customers" in blocks[0][0]
                 and len(blocks[0][0]) > 100, proc.stdout)


def check_summary_undefined(checks, cohortsim, directory, out):
    """Undefined values (NaN, or the -1 / fill values of older files) print as '-' and as an
    empty CSV cell, never 'nan'; P(better) of a KPI neither scenario reaches is '-'."""
    month = "first_net_negative_churn_month"
    comparison = "comparisons/save_desk_vs_baseline/kpis"
    crafted = os.path.join(directory, "undefined.h5")
    shutil.copyfile(out, crafted)
    with h5py.File(crafted, "r+") as f:
        for scenario in ("baseline", "save_desk"):
            d = f[f"scenarios/{scenario}/kpis/{month}"]
            d[...] = np.nan
            d.attrs["share_defined"] = 0.0
            for key in ("mean", "std", "quantile_5", "quantile_95"):
                d.attrs[key] = np.nan
        f["scenarios/save_desk/mean/nrr"][-1] = np.nan
        f["scenarios/save_desk/quantiles/nrr"][:, -1] = np.nan
        d = f[f"{comparison}/{month}"]
        d[...] = np.nan
        d.attrs["pairs"] = 0
        for key in ("mean_difference", "std_difference", "ci_low", "ci_high", "p_b_better"):
            d.attrs[key] = np.nan
        f[f"{comparison}/grr"].attrs["mean_difference"] = np.nan
        f[f"{comparison}/grr"].attrs["p_b_better"] = np.nan
        f[f"{comparison}/grr"].attrs["ci_low"] = np.nan
        f[f"{comparison}/grr"].attrs["ci_high"] = np.nan
        f[f"{comparison}/nrr"].attrs["ci_low"] = np.nan
        f[f"{comparison}/nrr"].attrs["ci_high"] = np.nan
    text = run(cohortsim, "summary", crafted)
    checks.check("summary of NaN values exits 0", text.returncode == 0, text.stderr)
    checks.check("summary never prints nan", "nan" not in text.stdout.lower(), text.stdout)
    paired = text.stdout.split("Paired differences", 1)[-1]
    lines = {line.split("  ")[1].strip(): line.split() for line in paired.splitlines()
             if line.startswith("save_desk")}
    checks.check("summary: undefined difference, interval and P(better) are '-'",
                 lines.get("GRR pp", [])[-3:] == ["-", "-", "-"], f"{lines.get('GRR pp')}")
    checks.check("summary: undefined interval ends are '-'",
                 lines.get("NRR pp", [])[-3:-1] == ["[-,", "-]"], f"{lines.get('NRR pp')}")
    checks.check("summary: P(better) of a KPI neither reaches is '-', not 50%",
                 lines.get("net negative churn month", [])[-1:] == ["-"],
                 f"{lines.get('net negative churn month')}")
    wide = run(cohortsim, "summary", crafted, "--wide").stdout
    row = [line for line in wide.splitlines() if line.startswith("save_desk")][0]
    checks.check("summary: a metric undefined at the horizon is '-'",
                 "  -  " in row and "never" in row, row)
    proc = run(cohortsim, "summary", crafted, "--csv")
    checks.check("summary --csv never writes nan", "nan" not in proc.stdout.lower(), proc.stdout)
    table = {(r["scenario"], r["kpi"]): r for r in csv.DictReader(io.StringIO(proc.stdout))}
    grr, nrr = table[("save_desk", "grr")], table[("save_desk", "nrr")]
    never = table[("save_desk", month)]
    checks.check("summary --csv: empty cells for NaN",
                 grr["mean_difference"] == grr["ci_low"] == grr["p_better"] == ""
                 and nrr["mean"] == nrr["q05"] == nrr["q95"] == "" and nrr["mean_difference"] != ""
                 and never["mean"] == never["p_better"] == never["mean_difference"] == "",
                 f"{grr}\n{nrr}\n{never}")

    # Files written before undefined values were NaN: -1 for "never", a fill value in the
    # comparison, 0 for a mean without pairs, 0.5 for P(better) of all ties.
    legacy = os.path.join(directory, "legacy.h5")
    shutil.copyfile(out, legacy)
    with h5py.File(legacy, "r+") as f:
        for scenario in ("baseline", "save_desk"):
            d = f[f"scenarios/{scenario}/kpis/{month}"]
            d[...] = -1.0
            d.attrs["_FillValue"] = -1.0
            d.attrs["share_defined"] = 0.0
            for key in ("mean", "std", "quantile_5", "quantile_95"):
                d.attrs[key] = -1.0
        d = f[f"{comparison}/{month}"]
        d[...] = -999999.0
        d.attrs["_FillValue"] = -999999.0
        d.attrs["pairs"] = 0
        for key in ("mean_difference", "std_difference", "ci_low", "ci_high"):
            d.attrs[key] = 0.0
        d.attrs["p_b_better"] = 0.5
    text = run(cohortsim, "summary", legacy).stdout
    paired = text.split("Paired differences", 1)[-1]
    line = [l for l in paired.splitlines() if "net negative churn month" in l][0].split()
    checks.check("summary of an older file: 'never', and '-' for the difference and P(better)",
                 line[-3:] == ["-", "-", "-"] and "never" in text and "50%" not in line, text)
    proc = run(cohortsim, "summary", legacy, "--csv")
    never = {(r["scenario"], r["kpi"]): r
             for r in csv.DictReader(io.StringIO(proc.stdout))}[("save_desk", month)]
    checks.check("summary --csv of an older file: empty cells, not -1 or 0.5",
                 never["mean"] == never["q05"] == never["mean_difference"] == never["p_better"]
                 == "" and never["pairs"] == "0", f"{never}")


def check_bundled(checks, cohortsim, directory):
    """`run` with no scenario: the bundled strategies, compared with the baseline."""
    work = os.path.join(directory, "bundled")
    os.mkdir(work)
    proc = run(cohortsim, "run", "--quiet", "--replications", "3", "--horizon", "6", cwd=work)
    if not checks.check("bundled comparison exits 0", proc.returncode == 0, proc.stderr):
        return
    out = os.path.join(work, "cohortsim-results.h5")
    checks.check("bundled comparison writes cohortsim-results.h5", os.path.isfile(out))
    checks.check("bundled comparison prints the summary with paired differences",
                 "Paired differences against baseline" in proc.stdout, proc.stdout)
    with h5py.File(out, "r") as f:
        scenarios = list(f["scenarios"])
    check_summary_layout(checks, cohortsim, out, scenarios)
    with h5py.File(out, "r") as f:
        checks.check("bundled: baseline first, at least one strategy",
                     scenarios[:1] == ["baseline"] and len(scenarios) >= 2, f"{scenarios}")
        checks.check("bundled: every strategy compared with the baseline",
                     list(f.get("comparisons", {})) == [f"{s}_vs_baseline" for s in scenarios[1:]],
                     f"{list(f.get('comparisons', {}))}")


def check_undefined(checks, cohortsim, directory):
    """A real two-scenario file, then NaN written over some of its values."""
    scenarios = os.path.join(os.environ.get("COHORTSIM_SOURCE_DIR",
                                            pathlib.Path(__file__).parents[1]), "scenarios")
    out = os.path.join(directory, "desk.h5")
    proc = run(cohortsim, "run", os.path.join(scenarios, "baseline.toml"),
               os.path.join(scenarios, "save_desk.toml"), "-o", out, "--replications", "20",
               "--horizon", "12", "--quiet")
    if checks.check("baseline and save_desk run", proc.returncode == 0, proc.stderr):
        check_summary_undefined(checks, cohortsim, directory, out)


def main():
    cohortsim = cohortsim_argument(__doc__)
    checks = Checks()
    with tempfile.TemporaryDirectory(prefix="cohortsim-e2e-comparison-") as directory:
        paths = []
        for name, text in (("base", BASE), ("twin", TWIN), ("programme", PROGRAMME)):
            path = os.path.join(directory, f"{name}.toml")
            pathlib.Path(path).write_text(text)
            paths.append(path)
        out = os.path.join(directory, "cmp.h5")
        proc = run(cohortsim, "run", *paths, "-o", out, "--keep-paths", "--quiet", "--seed", "7")
        if checks.check("run of three scenarios exits 0", proc.returncode == 0, proc.stderr):
            for section, args in [
                (check_layout, (out,)),
                (check_twin, (out,)),
                (check_programme, (out,)),
                (check_summary, (cohortsim, out, proc.stdout)),
                (check_sweeps, (cohortsim, directory, paths[0])),
                (check_summary_errors, (cohortsim, directory, out)),
                (check_bundled, (cohortsim, directory)),
                (check_undefined, (cohortsim, directory)),
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
