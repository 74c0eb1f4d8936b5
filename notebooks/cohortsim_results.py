"""Read cohortsim results files (HDF5, format_version 1) into xarray and pandas.

    import cohortsim_results as cr
    res = cr.open_results("cohortsim-results.h5")
    res.scenarios                                   # ['base', 'annual_plans']
    mean = cr.load_stat(res, "base", "mean")        # xarray.Dataset over month
    mean.mrr.plot()
    q = cr.load_stat(res, "base", "quantiles")      # (quantile, month)
    cr.cohort_matrix(res, "base")                   # DataFrame: cohort x age, NaN where impossible
    cr.churn_reasons(res, "base")                   # DataFrame: month x reason
    print(cr.scenario_text(res, "base"))            # the resolved scenario, as TOML
    cr.scenario_parameters(res, "base")             # the same, parsed into a dict
    cr.segment_parameters(res, "base")              # DataFrame: segment x share, alpha, beta, ...
    cr.team_scenarios(res)                          # the scenarios with a sales team
    cr.kpis(res)                                    # tidy: (scenario, kpi) at the horizon
    cr.kpi_values(res, "base")                      # DataFrame: replication x per-replication KPI
    res.comparisons                                 # ['annual_plans_vs_base']
    cr.load_comparison(res, "annual_plans", "ci_low")   # xarray.Dataset over month
    cr.comparison_table(res)                        # tidy: (scenario, metric, month) x statistics
    cr.comparison_kpis(res)                         # tidy: (scenario, kpi) paired differences
    cr.comparison_kpi_values(res, "annual_plans")   # DataFrame: replication x KPI difference
    cr.sweep_variants(res)                          # DataFrame: variant x swept keys
    cr.sweep_table(res, ["arr", "nrr"])             # tidy: (variant, metric) at the horizon
    cr.sweep_values(res, "arr", 12)                 # DataFrame: replication x variant (paths)
    cr.mrr_bridge(res, "base", 25, 36)              # MRR at start, movements, MRR at end

Layout: README "Results file". Every dataset carries `units` and `description` attributes,
kept in the returned objects' attrs.
"""

import os
from dataclasses import dataclass, field

import h5py
import numpy as np
import pandas as pd
import xarray as xr

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "STATS",
    "Results",
    "UnsupportedFormatError",
    "open_results",
    "load_stat",
    "cohort_matrix",
    "churn_reasons",
    "scenario_text",
    "scenario_parameters",
    "segment_parameters",
    "team_scenarios",
    "COMPARISON_STATS",
    "HEADLINE_METRICS",
    "kpis",
    "kpi_values",
    "load_comparison",
    "comparison_table",
    "comparison_kpis",
    "comparison_kpi_values",
    "sweep_variants",
    "sweep_table",
    "sweep_values",
    "MRR_GAINS",
    "MRR_LOSSES",
    "mrr_bridge",
]

FORMAT = "cohortsim-results"
FORMAT_VERSION = 1  # the major format_version this module reads
STATS = ("mean", "std", "stderr", "quantiles", "paths")
# MRR movements (docs/model.md section 8): MRR[m] = MRR[m-1] + gains - losses.
MRR_GAINS = ("new_mrr", "expansion_mrr", "upsell_mrr", "cross_sell_mrr", "reactivation_mrr")
MRR_LOSSES = ("contraction_mrr", "churned_mrr")
COMPARISON_STATS = ("mean", "std", "ci_low", "ci_high")
# What `cohortsim summary` reports at the horizon, plus the SaaS quick ratio.
HEADLINE_METRICS = ("active_customers", "mrr", "arr", "nrr", "grr", "logo_churn_rate_12m",
                    "quick_ratio")


class UnsupportedFormatError(ValueError):
    """The file is not a cohortsim results file, or has a major format_version we do not read."""


@dataclass(frozen=True)
class Results:
    """An opened results file: its path, root attributes and scenario names.

    Holds no open HDF5 handle; each reader function opens the file for as long as it reads.
    """

    path: str
    attrs: dict = field(repr=False)
    scenarios: list
    comparisons: list = field(default_factory=list)  # group names "<b>_vs_<a>"

    def __repr__(self):
        return (
            f"Results({self.path!r}, scenarios={self.scenarios}, "
            f"comparisons={len(self.comparisons)}, "
            f"replications={self.attrs.get('replications')}, seed={self.attrs.get('seed')})"
        )


def _plain(value):
    """h5py attribute value -> plain Python (str, int, float, list)."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()] if value.ndim else _plain(value[()])
    return value


def _major(version):
    """Major part of a format_version (an integer now; a "major.minor" string is also read)."""
    try:
        return int(str(version).split(".")[0])
    except ValueError:
        return None


def open_results(path):
    """Open a results file: returns a Results with .path, .attrs (dict) and .scenarios (names).

    Raises UnsupportedFormatError for a file of another format or major format_version.
    """
    path = os.fspath(path)
    with h5py.File(path, "r") as f:
        attrs = {name: _plain(value) for name, value in f.attrs.items()}
        found = attrs.get("format")
        if found != FORMAT:
            raise UnsupportedFormatError(
                f"{path}: not a cohortsim results file (format attribute is {found!r}, "
                f"expected {FORMAT!r})"
            )
        version = attrs.get("format_version")
        if _major(version) != FORMAT_VERSION:
            raise UnsupportedFormatError(
                f"{path}: results format_version {version} is not supported; this reader "
                f"reads format_version {FORMAT_VERSION} (update cohortsim_results.py)"
            )
        scenarios = list(f["scenarios"]) if "scenarios" in f else []
        comparisons = list(f["comparisons"]) if "comparisons" in f else []
    return Results(path=path, attrs=attrs, scenarios=scenarios, comparisons=comparisons)


def _results(path_or_results):
    if isinstance(path_or_results, Results):
        return path_or_results
    return open_results(path_or_results)


def _group(f, results, scenario, name=None):
    """The h5py group of a scenario (or one of its subgroups), with a helpful KeyError."""
    if scenario not in results.scenarios:
        raise KeyError(
            f"no scenario {scenario!r} in {results.path}; it has {results.scenarios}"
        )
    path = f"scenarios/{scenario}" + (f"/{name}" if name else "")
    if path not in f:
        hint = " (run with --keep-paths to keep them)" if name == "paths" else ""
        raise KeyError(f"scenario {scenario!r} in {results.path} has no {name!r}{hint}")
    return f[path]


def _is_scale(dataset):
    return dataset.attrs.get("CLASS") in (b"DIMENSION_SCALE", "DIMENSION_SCALE")


def _scale(dataset, dim):
    """Values of the dimension scale attached to `dim` (0..n-1 if none)."""
    scales = dataset.dims[dim]
    return scales[0][()] if len(scales) else np.arange(dataset.shape[dim])


def _scale_units(dataset, dim, default):
    """The units attribute of the dimension scale attached to `dim`."""
    scales = dataset.dims[dim]
    return _plain(scales[0].attrs.get("units", default)) if len(scales) else default


def _described(dataset):
    return {name: _plain(dataset.attrs[name]) for name in ("units", "description")
            if name in dataset.attrs}


def load_stat(path_or_results, scenario, stat="mean"):
    """One statistic of every metric of a scenario, as an xarray.Dataset.

    stat: "mean", "std", "stderr" (standard error of the mean), "quantiles" (dims quantile,
    month) or "paths" (dims replication, month; only in files written with --keep-paths).
    Each variable keeps its units and description in attrs.
    """
    results = _results(path_or_results)
    if stat not in STATS:
        raise ValueError(f"unknown statistic {stat!r}; expected one of {list(STATS)}")
    with h5py.File(results.path, "r") as f:
        _group(f, results, scenario, stat)  # clear errors for a missing scenario or group
    # Each statistic group holds its own copies of the month/quantile/replication scales,
    # which h5netcdf turns into coordinates.
    with xr.open_dataset(
        results.path, group=f"scenarios/{scenario}/{stat}", engine="h5netcdf"
    ) as ds:
        ds = ds.load()
    ds.attrs.update(scenario=scenario, statistic=stat, source=results.path)
    return ds


def cohort_matrix(results, scenario, name="logo_retention"):
    """A cohort matrix as a DataFrame: index cohort (month of acquisition), columns age
    (months); cells that cannot exist (the file's _FillValue) are NaN."""
    results = _results(results)
    with h5py.File(results.path, "r") as f:
        dataset = _group(f, results, scenario, "cohorts")[name]
        values = dataset[()].astype(float)
        fill = dataset.attrs.get("_FillValue")
        if fill is not None:
            values[values == float(np.asarray(fill).ravel()[0])] = np.nan
        frame = pd.DataFrame(
            values,
            index=pd.Index(_scale(dataset, 0), name="cohort"),
            columns=pd.Index(_scale(dataset, 1), name="age"),
        )
        frame.attrs.update(_described(dataset), scenario=scenario, name=name)
        frame.attrs["dim_units"] = {
            "cohort": _scale_units(dataset, 0, "month of acquisition"),
            "age": _scale_units(dataset, 1, "months"),
        }
    return frame


def churn_reasons(results, scenario):
    """Mean churned logos per month for each churn reason: DataFrame, index month, one column
    per reason (units in .attrs["units"][reason])."""
    results = _results(results)
    with h5py.File(results.path, "r") as f:
        group = _group(f, results, scenario, "churn_reasons")
        reasons = {
            n: d for n, d in group.items() if isinstance(d, h5py.Dataset) and not _is_scale(d)
        }
        months = group["month"][()]
        frame = pd.DataFrame(
            {n: d[()] for n, d in reasons.items()},
            index=pd.Index(months, name="month"),
            columns=pd.Index(list(reasons), name="reason"),
        )
        frame.attrs.update(
            scenario=scenario,
            dim_units={"month": _plain(group["month"].attrs.get("units", "month"))},
            units={n: _plain(d.attrs.get("units", "")) for n, d in reasons.items()},
            description={n: _plain(d.attrs.get("description", "")) for n, d in reasons.items()},
        )
    return frame


def scenario_text(results, scenario):
    """The scenario as it was run (defaults and --set overrides resolved), as TOML text."""
    results = _results(results)
    with h5py.File(results.path, "r") as f:
        return _plain(_group(f, results, scenario).attrs["scenario"])


def scenario_parameters(results, scenario):
    """The scenario as it was run, parsed from its TOML into nested dicts (needs Python 3.11+)."""
    import tomllib  # standard library from Python 3.11; imported here so the rest reads on 3.10

    return tomllib.loads(scenario_text(results, scenario))


def segment_parameters(results, scenario):
    """Each segment's acquisition share and retention parameters as a DataFrame (index segment;
    columns share, mrr_median, mrr_sigma, alpha, beta, c, unavoidable_monthly, ...).

    A segment's [segments.X.retention] overrides the scenario's [retention] key by key, as the
    engine resolves them; nested tables (the churn reason shares) are left out.
    """
    parameters = scenario_parameters(results, scenario)
    defaults = parameters.get("retention", {})
    rows = {}
    for name, segment in parameters.get("segments", {}).items():
        merged = {**defaults, **segment.get("retention", {})}
        row = {k: v for k, v in segment.items() if not isinstance(v, dict)}
        row.update({k: v for k, v in merged.items() if not isinstance(v, dict)})
        rows[name] = row
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "segment"
    frame.attrs.update(scenario=scenario)
    return frame


def team_scenarios(results):
    """Names of the scenarios run with a sales team (a [team] table whose mode is not "none"):
    those whose hunter_cost, farmer_cost, cac, ... are not all zero."""
    results = _results(results)
    return [s for s in results.scenarios
            if scenario_parameters(results, s).get("team", {}).get("mode", "none") != "none"]


# --- KPIs per scenario, paired comparisons, sweeps ---------------------------------------------

def _metrics(group):
    """Names of the metric datasets of a statistic group (its dimension scales left out)."""
    return [n for n, d in group.items() if isinstance(d, h5py.Dataset) and not _is_scale(d)]


def _metric(group, name, where):
    if name not in group:
        raise KeyError(f"no metric {name!r} in {where}; it has {_metrics(group)}")
    return group[name]


def _masked(dataset):
    """A dataset's values as floats, with its _FillValue (undefined: never reached) as NaN."""
    values = np.asarray(dataset[()], dtype=float)
    fill = dataset.attrs.get("_FillValue")
    if fill is not None:
        values = np.where(values == float(np.asarray(fill).ravel()[0]), np.nan, values)
    return values


def _quantile_column(level):
    """0.05 -> 'q05', 0.5 -> 'q50': the column names of `cohortsim summary --csv`."""
    return f"q{round(100 * float(level)):02d}"


def _is_quantile_column(column):
    return len(column) == 3 and column[0] == "q" and column[1:].isdigit()


def _month_index(months, month, where):
    """Index of `month` in a month scale; the last one (the horizon) when month is None."""
    if month is None:
        return len(months) - 1
    found = np.flatnonzero(months == month)
    if not len(found):
        raise KeyError(f"no month {month} in {where}; months are {months[0]}..{months[-1]}")
    return int(found[0])


def _replication_kpis(group):
    return {n: d for n, d in group.items() if isinstance(d, h5py.Dataset) and not _is_scale(d)}


def kpis(results, scenarios=None, metrics=HEADLINE_METRICS, month=None, replication_kpis=True):
    """Per-scenario KPIs as a tidy DataFrame: one row per (scenario, kpi).

    For each metric (default HEADLINE_METRICS), its value at `month` (default: the horizon):
    mean, std and the quantiles across replications (q05 ... q95; q05 and q95 bound the 90%
    interval). Then, unless replication_kpis is False, every per-replication KPI of the
    scenario's kpis/ group (month of first net negative churn, ...), with month NaN: mean, std
    and quantiles over the replications where it is defined, and share_defined (NaN for
    metrics, which are defined in every replication). Where no replication defines a KPI, its
    statistics are NaN (the file stores -1 there).
    A metric missing from the file raises KeyError.
    """
    results = _results(results)
    names = results.scenarios if scenarios is None else (
        [scenarios] if isinstance(scenarios, str) else list(scenarios))
    rows = []
    with h5py.File(results.path, "r") as f:
        for scenario in names:
            group = _group(f, results, scenario)
            months = group["month"][()]
            i = _month_index(months, month, f"scenario {scenario!r}")
            levels = group["quantile"][()]
            for metric in metrics:
                mean = _metric(group["mean"], metric, f"scenario {scenario!r} of {results.path}")
                row = {"scenario": scenario, "kpi": metric,
                       "units": _plain(mean.attrs.get("units", "")),
                       "month": float(months[i]), "mean": mean[i],
                       "std": group["std"][metric][i]}
                quantiles = group["quantiles"][metric]
                row.update({_quantile_column(q): quantiles[j, i] for j, q in enumerate(levels)})
                row["share_defined"] = np.nan
                rows.append(row)
            for kpi, dataset in _replication_kpis(group["kpis"]).items():
                if not replication_kpis:
                    break
                attrs = dataset.attrs
                defined = float(attrs.get("share_defined", 1.0))

                def value(name):  # the file stores -1 where no replication defines it
                    return float(attrs[name]) if defined > 0 else np.nan

                row = {"scenario": scenario, "kpi": kpi,
                       "units": _plain(attrs.get("units", "")), "month": np.nan,
                       "mean": value("mean"), "std": value("std")}
                for name in attrs:
                    if name.startswith("quantile_"):
                        row[_quantile_column(int(name.split("_")[1]) / 100)] = value(name)
                row["share_defined"] = defined
                rows.append(row)
    table = pd.DataFrame(rows)
    if table.empty:
        return pd.DataFrame(columns=["scenario", "kpi", "units", "month", "mean", "std",
                                     "share_defined"])
    quantile_columns = sorted(c for c in table.columns if _is_quantile_column(c))
    return table[["scenario", "kpi", "units", "month", "mean", "std", *quantile_columns,
                  "share_defined"]]


def kpi_values(results, scenario):
    """A scenario's per-replication KPIs (kpis/ group): DataFrame, index replication, one
    column per KPI; NaN where undefined (never reached within the horizon)."""
    results = _results(results)
    with h5py.File(results.path, "r") as f:
        return _replication_frame(_group(f, results, scenario, "kpis"), scenario=scenario)


def _replication_frame(group, **attrs):
    datasets = _replication_kpis(group)
    frame = pd.DataFrame({n: _masked(d) for n, d in datasets.items()},
                         index=pd.Index(group["replication"][()], name="replication"),
                         columns=pd.Index(list(datasets), name="kpi"))
    frame.attrs.update(attrs,
                       units={n: _plain(d.attrs.get("units", "")) for n, d in datasets.items()},
                       description={n: _plain(d.attrs.get("description", ""))
                                    for n, d in datasets.items()})
    return frame


def _comparison_name(f, results, scenario):
    """The comparison group of a scenario (its name b, or the group name "<b>_vs_<a>")."""
    if scenario in results.comparisons:
        return scenario
    for name in results.comparisons:
        if _plain(f["comparisons"][name].attrs.get("scenario")) == scenario:
            return name
    raise KeyError(
        f"no comparison of scenario {scenario!r} in {results.path}; it has "
        f"{results.comparisons or 'none (a run of one scenario compares nothing)'}")


def _compared(f, results, scenarios):
    """Comparison group names for scenario names (default: every comparison in the file)."""
    if scenarios is None:
        return list(results.comparisons)
    names = [scenarios] if isinstance(scenarios, str) else list(scenarios)
    return [_comparison_name(f, results, s) for s in names]


def load_comparison(results, scenario, stat="mean"):
    """One statistic of the paired difference b - a of scenario b against the comparison base a,
    for every metric, as an xarray.Dataset over month (units and description in attrs).

    scenario: b's name or the group name "<b>_vs_<a>". stat: "mean", "std" (of the paired
    difference across replications), "ci_low" or "ci_high" (the Student t interval of the mean
    at the group's `confidence`), or "kpis" (per-replication differences of the headline KPIs,
    dim replication, NaN where undefined).
    """
    results = _results(results)
    if stat not in (*COMPARISON_STATS, "kpis"):
        raise ValueError(f"unknown statistic {stat!r}; expected one of "
                         f"{[*COMPARISON_STATS, 'kpis']}")
    with h5py.File(results.path, "r") as f:
        name = _comparison_name(f, results, scenario)
        group = f["comparisons"][name]
        attrs = {k: _plain(v) for k, v in group.attrs.items() if k != "description"}
    with xr.open_dataset(results.path, group=f"comparisons/{name}/{stat}",
                         engine="h5netcdf") as ds:
        ds = ds.load()
    ds.attrs.update(attrs, comparison=name, statistic=stat, source=results.path)
    return ds


def comparison_table(results, scenarios=None, metrics=None):
    """Paired differences b - a as a tidy DataFrame: one row per (scenario, metric, month) with
    columns scenario (b), baseline (a), metric, units, month, mean, std, ci_low, ci_high.

    scenarios: b names or comparison group names (default: every comparison in the file);
    metrics: default every metric. A metric missing from a comparison raises KeyError.
    """
    results = _results(results)
    frames = []
    with h5py.File(results.path, "r") as f:
        for name in _compared(f, results, scenarios):
            group = f["comparisons"][name]
            months = group["month"][()]
            for metric in (_metrics(group["mean"]) if metrics is None else metrics):
                mean = _metric(group["mean"], metric, f"comparison {name!r} of {results.path}")
                frame = pd.DataFrame({
                    "scenario": _plain(group.attrs["scenario"]),
                    "baseline": _plain(group.attrs["baseline"]),
                    "metric": metric,
                    "units": _plain(mean.attrs.get("units", "")),
                    "month": months,
                    **{stat: group[stat][metric][()] for stat in COMPARISON_STATS},
                })
                frame.attrs["confidence"] = _plain(group.attrs.get("confidence"))
                frames.append(frame)
    if not frames:
        raise KeyError(f"{results.path} holds no comparisons")
    table = pd.concat(frames, ignore_index=True)
    table.attrs["confidence"] = frames[0].attrs["confidence"]
    return table


def comparison_kpis(results, scenarios=None):
    """The headline KPIs' paired differences b - a as a tidy DataFrame: one row per
    (scenario, kpi) with baseline, units, mean_difference, std_difference, ci_low, ci_high,
    confidence, pairs, p_b_better (share of replications where b does better, ties half) and
    better ("higher", "lower" or "earlier").

    The difference statistics are over the `pairs` replications where both scenarios define
    the KPI; NaN when there is none (for first_net_negative_churn_month when a scenario never
    reaches it). p_b_better is over every replication.
    """
    results = _results(results)
    rows = []
    with h5py.File(results.path, "r") as f:
        for name in _compared(f, results, scenarios):
            group = f["comparisons"][name]
            for kpi, dataset in _replication_kpis(group["kpis"]).items():
                attrs = {k: _plain(v) for k, v in dataset.attrs.items()}
                row = {"scenario": _plain(group.attrs["scenario"]),
                       "baseline": _plain(group.attrs["baseline"]), "kpi": kpi,
                       "units": attrs.get("units", "")}
                for stat in ("mean_difference", "std_difference", "ci_low", "ci_high"):
                    row[stat] = float(attrs[stat]) if attrs["pairs"] > 0 else np.nan
                row.update({k: attrs[k] for k in ("confidence", "pairs", "p_b_better", "better")})
                rows.append(row)
    if not rows:
        raise KeyError(f"{results.path} holds no comparisons")
    return pd.DataFrame(rows)


def comparison_kpi_values(results, scenario):
    """Per-replication paired differences b - a of the headline KPIs: DataFrame, index
    replication, one column per KPI; NaN where undefined in either scenario."""
    results = _results(results)
    with h5py.File(results.path, "r") as f:
        name = _comparison_name(f, results, scenario)
        group = f["comparisons"][name]
        return _replication_frame(group["kpis"], scenario=_plain(group.attrs["scenario"]),
                                  baseline=_plain(group.attrs["baseline"]))


def sweep_variants(results):
    """The sweep variants of a file written with --sweep: DataFrame, index variant (the
    scenario group "<scenario>__<key>=<value>..."), column scenario (the swept scenario's name)
    and one column per swept key with its value (a number, or text for a text key), in the
    order of the --sweep flags. Raises ValueError for a file without sweep variants."""
    results = _results(results)
    rows, keys = {}, []
    with h5py.File(results.path, "r") as f:
        for variant in results.scenarios:
            attrs = f["scenarios"][variant].attrs
            if "sweep" not in attrs:
                continue
            swept = _plain(attrs["sweep"]).split(",")
            keys += [k for k in swept if k not in keys]
            first = variant.rfind(f"__{swept[0]}=")
            row = {"scenario": variant[:first] if first > 0 else variant}
            row.update({k: _plain(attrs[f"swept_{k}"]) for k in swept})
            rows[variant] = row
    if not rows:
        raise ValueError(f"{results.path} holds no sweep variants (written without --sweep)")
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=["scenario", *keys])
    frame.index.name = "variant"
    return frame


def sweep_table(results, metrics=HEADLINE_METRICS, month=None):
    """KPIs of every sweep variant as a tidy DataFrame: the rows of kpis() for the variants,
    with the variant's group name in column variant, the swept scenario's name in scenario and
    one column per swept key. Pivot it for a grid, e.g.
    table[table.kpi == "arr"].pivot(index=key1, columns=key2, values="mean")."""
    results = _results(results)
    variants = sweep_variants(results)
    table = kpis(results, list(variants.index), metrics, month).rename(
        columns={"scenario": "variant"})
    table = variants.reset_index().merge(table, on="variant", how="right")
    return table


def sweep_values(results, metric, month=None):
    """One metric's value in every replication of every sweep variant at `month` (default: the
    horizon): DataFrame, index replication, one column per variant (sweep_variants' order).

    Needs a file written with --keep-paths (KeyError otherwise). Replication r of every variant
    saw the same customers and draws, so a difference of two columns is a paired difference."""
    results = _results(results)
    variants = list(sweep_variants(results).index)
    columns, replications, units, found = {}, None, "", None
    with h5py.File(results.path, "r") as f:
        for variant in variants:
            paths = _group(f, results, variant, "paths")
            dataset = _metric(paths, metric, f"paths of {variant!r} in {results.path}")
            months = paths["month"][()]
            i = _month_index(months, month, f"paths of {variant!r}")
            columns[variant] = dataset[:, i]
            replications = paths["replication"][()]
            units, found = _plain(dataset.attrs.get("units", "")), months[i]
    frame = pd.DataFrame(columns, index=pd.Index(replications, name="replication"),
                         columns=pd.Index(variants, name="variant"))
    frame.attrs.update(metric=metric, month=int(found), units=units)
    return frame


def mrr_bridge(results, scenario, first=None, last=None):
    """The MRR bridge of months first..last (default: the last 12 months, or the whole horizon
    if shorter), from the means across replications: a DataFrame indexed by step (mrr_start,
    the MRR movements, mrr_end) with columns value (currency/month; losses negative) and kind
    ("stock", "gain" or "loss"). The steps add up: mrr_start + movements = mrr_end, as MRR's
    identity holds in every replication and so in the mean."""
    mean = load_stat(results, scenario, "mean")
    months = mean["month"].to_numpy()
    last = int(months[-1]) if last is None else last
    first = max(int(months[1]), last - 11) if first is None else first
    if not (0 < first <= last <= months[-1]):
        raise ValueError(f"months {first}..{last} outside 1..{months[-1]}")
    window = slice(first, last)
    steps = {"mrr_start": ("stock", float(mean["mrr"].sel(month=first - 1)))}
    for name in MRR_GAINS:
        steps[name] = ("gain", float(mean[name].sel(month=window).sum()))
    for name in MRR_LOSSES:
        steps[name] = ("loss", -float(mean[name].sel(month=window).sum()))
    steps["mrr_end"] = ("stock", float(mean["mrr"].sel(month=last)))
    frame = pd.DataFrame.from_dict(steps, orient="index", columns=["kind", "value"])[
        ["value", "kind"]]
    frame.index.name = "step"
    frame.attrs.update(scenario=scenario, first=first, last=last,
                       units=mean["mrr"].attrs.get("units", ""))
    return frame
