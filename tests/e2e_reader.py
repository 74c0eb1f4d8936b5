"""End-to-end: the Python reader (notebooks/cohortsim_results.py) returns exactly what the
results file holds. Comparisons (xarray and tidy tables), per-scenario KPIs, per-replication
KPIs, sweep variants and per-replication sweep values, the sales-team metrics and the MRR bridge
are checked value by value against h5py's raw arrays
and attributes, on files written by the real CLI.

Usage: /usr/bin/python3 e2e_reader.py <path-to-cohortsim>
"""

import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

from checks import Checks, cohortsim_argument

SOURCE_DIR = os.path.abspath(os.environ.get(
    "COHORTSIM_SOURCE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")))
sys.path.insert(0, os.path.join(SOURCE_DIR, "notebooks"))
import cohortsim_results as cr  # noqa: E402

SMALL = ["--replications", "20", "--horizon", "18", "--quiet", "--force",
         "--set", "acquisition.initial_customers=500", "--set", "acquisition.new_per_month=40"]
# baseline never reaches net negative churn: the comparison KPI with no pairs is covered.
COMPARED = ["baseline.toml", "net_negative_churn.toml", "save_desk.toml", "teams/split_team.toml"]
TEAM_METRICS = ["hunter_cost", "farmer_cost", "sales_cost", "hunted_customers", "farmer_coverage",
                "cac", "cac_payback_months", "ltv", "ltv_to_cac", "operating_profit", "cumulative_operating_profit"]
SWEEP = ["net_negative_churn.toml", "--sweep", "upsell.monthly_probability=0.01,0.04",
         "--sweep", "save_desk.save_rate=0:0.3:0.3", "--keep-paths"]


def run(checks, cohortsim, arguments, output):
    proc = subprocess.run([cohortsim, "run", *arguments, "-o", output, *SMALL],
                          capture_output=True, text=True, timeout=600)
    return checks.check(f"cohortsim run writes {os.path.basename(output)}",
                        proc.returncode == 0 and os.path.isfile(output),
                        f"exit code {proc.returncode}; stderr: {proc.stderr}")


def masked(dataset):
    """Raw values with the _FillValue (undefined) as NaN: what the reader promises."""
    values = dataset[()].astype(float)
    fill = dataset.attrs["_FillValue"]
    return np.where(values == fill, np.nan, values)


def metrics(group):
    return sorted(n for n, d in group.items() if d.attrs.get("CLASS") != b"DIMENSION_SCALE")


def raises(checks, name, error, function):
    try:
        function()
    except error:
        return checks.check(name, True)
    except Exception as e:  # noqa: BLE001 - the check reports what was raised instead
        return checks.check(name, False, f"raised {type(e).__name__}: {e}")
    return checks.check(name, False, f"no {error.__name__} raised")


def check_comparisons(checks, path):
    results = cr.open_results(path)
    f = h5py.File(path, "r")
    raw_names = list(f["comparisons"])
    checks.check("Results.comparisons lists the comparison groups",
                 results.comparisons == raw_names and len(raw_names) == len(COMPARED) - 1,
                 f"{results.comparisons} against {raw_names}")
    table = cr.comparison_table(results)
    months = None
    for name in raw_names:
        group = f["comparisons"][name]
        b, a = group.attrs["scenario"], group.attrs["baseline"]
        names = metrics(group["mean"])
        months = group["month"][()]
        for stat in cr.COMPARISON_STATS:
            ds = cr.load_comparison(results, b, stat)
            checks.check(f"load_comparison({b}, {stat}) has every metric",
                         sorted(ds.data_vars) == names, f"{sorted(ds.data_vars)} vs {names}")
            checks.equal_arrays(f"load_comparison({b}, {stat}) month", ds["month"].values, months)
            for metric in names:
                checks.equal_arrays(f"load_comparison({b}, {stat})[{metric}] == raw",
                                    ds[metric].values, group[stat][metric][()])
            checks.check(f"load_comparison({b}, {stat}) keeps units",
                         ds["mrr"].attrs.get("units") == group[stat]["mrr"].attrs["units"],
                         f"{ds['mrr'].attrs}")
        # The tidy table: the same numbers, one row per (scenario, metric, month).
        for metric in names:
            rows = table[(table.scenario == b) & (table.metric == metric)]
            checks.check(f"comparison_table({b}, {metric}): baseline and units",
                         set(rows.baseline) == {a}
                         and set(rows.units) == {group["mean"][metric].attrs["units"]},
                         f"{set(rows.baseline)} {set(rows.units)}")
            checks.equal_arrays(f"comparison_table({b}, {metric}) month",
                                rows.month.to_numpy(), months)
            for stat in cr.COMPARISON_STATS:
                checks.equal_arrays(f"comparison_table({b}, {metric}) {stat} == raw",
                                    rows[stat].to_numpy(), group[stat][metric][()])
        # Per-replication KPI differences: raw values, NaN where undefined.
        frame = cr.comparison_kpi_values(results, b)
        kpis = cr.load_comparison(results, name, "kpis")  # by group name too
        for kpi in metrics(group["kpis"]):
            expected = masked(group["kpis"][kpi])
            checks.equal_arrays(f"comparison_kpi_values({b})[{kpi}] == raw (fill as NaN)",
                                frame[kpi].to_numpy(), expected)
            checks.equal_arrays(f"load_comparison({b}, kpis)[{kpi}] == raw (fill as NaN)",
                                kpis[kpi].values, expected)
    checks.check("comparison_table has one row per (comparison, metric, month)",
                 len(table) == sum(len(metrics(f["comparisons"][n]["mean"])) for n in raw_names)
                 * len(months), f"{len(table)} rows")
    # KPI summaries: the attributes, NaN where no replication pair defines the KPI.
    summary = cr.comparison_kpis(results)
    checked, undefined = 0, 0
    for row in summary.itertuples():
        group = f["comparisons"][f"{row.scenario}_vs_{row.baseline}"]
        attrs = group["kpis"][row.kpi].attrs
        for stat in ("mean_difference", "std_difference", "ci_low", "ci_high"):
            got = getattr(row, stat)
            ok = np.isnan(got) if attrs["pairs"] == 0 else got == attrs[stat]
            checks.check(f"comparison_kpis {row.scenario} {row.kpi} {stat}", ok,
                         f"{got} against attribute {attrs[stat]} (pairs {attrs['pairs']})")
        same_p = (np.isnan(row.p_b_better) and np.isnan(attrs["p_b_better"])) or \
            row.p_b_better == attrs["p_b_better"]
        checks.check(f"comparison_kpis {row.scenario} {row.kpi} p_b_better, pairs, better",
                     same_p and (row.pairs, row.better) == (attrs["pairs"], attrs["better"]),
                     f"{row}")
        checked += 1
        undefined += attrs["pairs"] == 0
    checks.check("comparison_kpis has a row per comparison KPI, some undefined",
                 checked == sum(len(metrics(f["comparisons"][n]["kpis"])) for n in raw_names)
                 and undefined > 0, f"{checked} rows, {undefined} with no pairs")
    raises(checks, "load_comparison of the comparison base raises KeyError", KeyError,
           lambda: cr.load_comparison(results, "baseline"))
    raises(checks, "comparison_table of a missing metric raises KeyError", KeyError,
           lambda: cr.comparison_table(results, metrics=["no_such_metric"]))
    f.close()


def check_kpis(checks, path):
    results = cr.open_results(path)
    f = h5py.File(path, "r")
    checks.check("team_scenarios: the scenario with a [team] table",
                 cr.team_scenarios(results) == ["split_team"], f"{cr.team_scenarios(results)}")
    for month in (None, 12):
        team = cr.kpis(results, "split_team", TEAM_METRICS, month, replication_kpis=False)
        group = f["scenarios"]["split_team"]
        i = -1 if month is None else int(np.flatnonzero(group["month"][()] == month)[0])
        for metric in TEAM_METRICS:
            row = team[team.kpi == metric]
            checks.equal_arrays(f"kpis(split_team, month {month})[{metric}] == raw",
                                row[["mean", "std", "q05", "q50", "q95"]].to_numpy().ravel(),
                                np.array([group["mean"][metric][i], group["std"][metric][i],
                                          *group["quantiles"][metric][[0, 2, 4], i]]))
        table = cr.kpis(results, month=month)
        for scenario in results.scenarios:
            group = f["scenarios"][scenario]
            months = group["month"][()]
            i = len(months) - 1 if month is None else int(np.flatnonzero(months == month)[0])
            levels = group["quantile"][()]
            for metric in cr.HEADLINE_METRICS:
                row = table[(table.scenario == scenario) & (table.kpi == metric)]
                got = row[["mean", "std", "q05", "q25", "q50", "q75", "q95"]].to_numpy().ravel()
                expected = [group["mean"][metric][i], group["std"][metric][i],
                            *group["quantiles"][metric][:, i]]
                checks.equal_arrays(f"kpis({scenario}, month {month})[{metric}] == raw",
                                    got, np.array(expected))
                checks.check(f"kpis({scenario})[{metric}] month and units",
                             len(row) == 1 and row.month.item() == months[i]
                             and row.units.item() == group["mean"][metric].attrs["units"],
                             f"{row}")
            checks.equal_arrays(f"kpis quantile levels of {scenario}",
                                np.array([0.05, 0.25, 0.5, 0.75, 0.95]), levels)
            for kpi in metrics(group["kpis"]):
                attrs = group["kpis"][kpi].attrs
                row = table[(table.scenario == scenario) & (table.kpi == kpi)]
                got = row[["mean", "std", "q05", "q50", "q95", "share_defined"]].to_numpy().ravel()
                defined = attrs["share_defined"] > 0
                expected = [attrs[a] if defined else np.nan for a in
                            ("mean", "std", "quantile_5", "quantile_50", "quantile_95")]
                checks.equal_arrays(f"kpis({scenario})[{kpi}] == attributes (NaN if never)",
                                    got, np.array([*expected, attrs["share_defined"]]))
            values = cr.kpi_values(results, scenario)
            for kpi in metrics(group["kpis"]):
                checks.equal_arrays(f"kpi_values({scenario})[{kpi}] == raw (fill as NaN)",
                                    values[kpi].to_numpy(), masked(group["kpis"][kpi]))
            # The MRR bridge adds up, from the raw MRR at the window's start to its end.
            bridge = cr.mrr_bridge(results, scenario)
            first, last = bridge.attrs["first"], bridge.attrs["last"]
            mrr = group["mean"]["mrr"][()]
            checks.check(f"mrr_bridge({scenario}): start and end are the raw MRR",
                         bridge.value["mrr_start"] == mrr[first - 1]
                         and bridge.value["mrr_end"] == mrr[last], f"{bridge}")
            checks.close(f"mrr_bridge({scenario}) adds up", bridge.value.iloc[:-1].sum(),
                         bridge.value["mrr_end"], 1e-9)
            checks.close(f"mrr_bridge({scenario}) churned == raw sum",
                         -bridge.value["churned_mrr"],
                         group["mean"]["churned_mrr"][first:last + 1].sum(), 1e-12)
    raises(checks, "kpis of a missing metric raises KeyError", KeyError,
           lambda: cr.kpis(results, metrics=["no_such_metric"]))
    raises(checks, "sweep_variants of a file without a sweep raises ValueError", ValueError,
           lambda: cr.sweep_variants(results))
    raises(checks, "sweep_values of a file without a sweep raises ValueError", ValueError,
           lambda: cr.sweep_values(results, "arr"))
    f.close()


def check_sweep(checks, path):
    results = cr.open_results(path)
    f = h5py.File(path, "r")
    variants = cr.sweep_variants(results)
    keys = ["upsell.monthly_probability", "save_desk.save_rate"]
    checks.check("sweep_variants: one row per variant, a column per swept key",
                 list(variants.index) == results.scenarios and len(variants) == 4
                 and list(variants.columns) == ["scenario", *keys]
                 and set(variants.scenario) == {"net_negative_churn"}, f"{variants}")
    for variant, row in variants.iterrows():
        attrs = f["scenarios"][variant].attrs
        checks.check(f"sweep_variants {variant}: values == swept_ attributes",
                     all(row[k] == attrs[f"swept_{k}"] for k in keys), f"{row.to_dict()}")
    checks.check("sweep_variants: the 2 x 2 grid, first flag varying slowest",
                 variants[keys].values.tolist() == [[0.01, 0.0], [0.01, 0.3], [0.04, 0.0],
                                                    [0.04, 0.3]], f"{variants[keys]}")
    table = cr.sweep_table(results, ["arr", "nrr"])
    for _, row in table.iterrows():
        group = f["scenarios"][row.variant]
        if row.kpi in ("arr", "nrr"):
            expected = group["mean"][row.kpi][-1]
        else:
            kpi = group["kpis"][row.kpi].attrs
            expected = kpi["mean"] if kpi["share_defined"] > 0 else np.nan
        checks.check(f"sweep_table {row.variant} {row.kpi} mean == raw",
                     row["mean"] == expected or (np.isnan(row["mean"]) and np.isnan(expected)),
                     f"{row['mean']} against {expected}")
        checks.check(f"sweep_table {row.variant} swept values",
                     all(row[k] == group.attrs[f"swept_{k}"] for k in keys), f"{row}")
    checks.check("sweep_table: a row per (variant, kpi)",
                 len(table) == 4 * (2 + len(metrics(f["scenarios"][results.scenarios[0]]["kpis"]))),
                 f"{len(table)} rows")
    grid = table[table.kpi == "arr"].pivot(index=keys[0], columns=keys[1], values="mean")
    checks.check("sweep_table pivots into the 2 x 2 grid", grid.shape == (2, 2), f"{grid}")
    for month in (None, 12):
        values = cr.sweep_values(results, "arr", month)
        checks.check(f"sweep_values(arr, month {month}): a column per variant, in order",
                     list(values.columns) == list(variants.index), f"{list(values.columns)}")
        for variant in variants.index:
            paths = f["scenarios"][variant]["paths"]
            i = -1 if month is None else int(np.flatnonzero(paths["month"][()] == month)[0])
            checks.equal_arrays(f"sweep_values {variant} month {month} == raw paths",
                                values[variant].to_numpy(), paths["arr"][:, i])
            checks.equal_arrays(f"sweep_values {variant} replications",
                                values.index.to_numpy(), paths["replication"][()])
    f.close()


def main():
    cohortsim = cohortsim_argument(__doc__)
    checks = Checks()
    scenarios = os.path.join(SOURCE_DIR, "scenarios")
    with tempfile.TemporaryDirectory(prefix="cohortsim-e2e-reader-") as directory:
        compared = os.path.join(directory, "compared.h5")
        if run(checks, cohortsim, [os.path.join(scenarios, s) for s in COMPARED], compared):
            check_comparisons(checks, compared)
            check_kpis(checks, compared)
        swept = os.path.join(directory, "swept.h5")
        if run(checks, cohortsim, [os.path.join(scenarios, SWEEP[0]), *SWEEP[1:]], swept):
            check_sweep(checks, swept)
    checks.finish()


if __name__ == "__main__":
    sys.exit(main())
