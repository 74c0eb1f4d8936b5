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
]

FORMAT = "cohortsim-results"
FORMAT_VERSION = 1  # the major format_version this module reads
STATS = ("mean", "std", "stderr", "quantiles", "paths")


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

    def __repr__(self):
        return (
            f"Results({self.path!r}, scenarios={self.scenarios}, "
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
    return Results(path=path, attrs=attrs, scenarios=scenarios)


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
