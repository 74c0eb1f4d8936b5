"""Figures of cohortsim results, shared by the notebooks and render_figures.py.

One function per figure; each takes a results file (path or cohortsim_results.Results) and
scenario names, and returns a matplotlib Figure whose axes carry the datasets' units.

    import cohortsim_plots as cp
    cp.plot_cohort_survival(results, "baseline")
    cp.plot_retention_heatmap(results, "baseline")
    cp.plot_churn_reasons(results, ["baseline", "onboarding_programme"])
    cp.plot_active_customers(results, ["baseline", "onboarding_programme"])
"""

import math

import matplotlib.pyplot as plt
import numpy as np

import cohortsim_results as cr

__all__ = [
    "FIGURES",
    "REASON_COLOURS",
    "axis_label",
    "reason_label",
    "sbg_survival",
    "model_survival",
    "plot_cohort_survival",
    "plot_retention_heatmap",
    "plot_churn_reasons",
    "plot_active_customers",
]

# Churn reasons in the order of the model (customer-side first, then seed 004's seven causes),
# each with an Okabe-Ito colour (distinguishable with the common colour-vision deficiencies).
REASON_COLOURS = {
    "unavoidable": "#999999",
    "stalled_onboarding": "#D55E00",
    "low_adoption": "#E69F00",
    "no_roi": "#0072B2",
    "sponsor_change": "#56B4E9",
    "product_gap": "#009E73",
    "performance": "#CC79A7",
    "human_factors": "#F0E442",
}
DEFAULT_SIZE = (9.0, 5.0)  # inches


def axis_label(text, units):
    """'text [units]'; the dimensionless unit "1" reads as 'fraction'."""
    if not units:
        return text
    return f"{text} [{'fraction' if units == '1' else units}]"


def reason_label(reason):
    """'no_roi' -> 'no ROI': a churn reason as a legend reads it."""
    return reason.replace("_", " ").replace("roi", "ROI")


def _open(results):
    return results if isinstance(results, cr.Results) else cr.open_results(results)


def _scenarios(results, scenarios):
    if scenarios is None:
        return list(results.scenarios)
    return [scenarios] if isinstance(scenarios, str) else list(scenarios)


def _figure(figsize, **subplots):
    return plt.subplots(figsize=figsize or DEFAULT_SIZE, layout="constrained", **subplots)


def sbg_survival(alpha, beta, ages, c=1.0):
    """Cohort survival of the beta-discrete-Weibull model, E[(1-theta)^(t^c)] with
    theta ~ Beta(alpha, beta): B(alpha, beta + t^c) / B(alpha, beta); c = 1 is the sBG."""

    def log_beta(a, b):
        return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)

    ages = np.asarray(ages, dtype=float)
    return np.exp([log_beta(alpha, beta + t**c) - log_beta(alpha, beta) for t in ages])


def model_survival(results, scenario, ages, unavoidable=False):
    """The closed-form survival of a cohort of the scenario: the segments' BdW curves weighted
    by their acquisition shares; with unavoidable=True each is multiplied by its unavoidable
    survival (1 - u)^t (an independent competing risk). Onboarding is not in it."""
    segments = cr.segment_parameters(results, scenario)
    ages = np.asarray(ages, dtype=float)
    total = np.zeros_like(ages)
    for _, s in segments.iterrows():
        curve = sbg_survival(s["alpha"], s["beta"], ages, s.get("c", 1.0))
        if unavoidable:
            curve = curve * (1.0 - s.get("unavoidable_monthly", 0.0)) ** ages
        total += s["share"] * curve
    return total / segments["share"].sum()


def plot_cohort_survival(results, scenarios=None, figsize=None):
    """Survival of the initial cohort (cohort 0 of cohorts/logo_retention) against the sBG
    closed form of the scenario's segments, with and without unavoidable churn."""
    results = _open(results)
    scenarios = _scenarios(results, scenarios)
    fig, ax = _figure(figsize)
    models = {}  # scenario -> (pure sBG, sBG x unavoidable) of its segments
    for i, scenario in enumerate(scenarios):
        matrix = cr.cohort_matrix(results, scenario)
        row = matrix.loc[0].dropna()
        ages = row.index.to_numpy()
        ax.plot(ages, row.to_numpy(), "o-", color=f"C{i}", markersize=3.5, linewidth=1.8,
                label=f"{scenario}: simulated (initial cohort)")
        models[scenario] = (model_survival(results, scenario, ages),
                            model_survival(results, scenario, ages, unavoidable=True))
    # One pair of model curves per distinct set of retention parameters.
    distinct = {}
    for scenario, curves in models.items():
        same = [s for s in distinct if all(np.allclose(a, b) for a, b in zip(curves, models[s]))]
        distinct.setdefault(same[0] if same else scenario, []).append(scenario)
    styles = ["black", "dimgrey", "silver"]
    for (scenario, sharing), colour in zip(distinct.items(), styles * len(distinct)):
        pure, with_unavoidable = models[scenario]
        suffix = "" if len(distinct) == 1 else f" ({', '.join(sharing)})"
        ax.plot(ages, pure, "--", color=colour, linewidth=1.5,
                label="sBG closed form B(\u03b1, \u03b2+t)/B(\u03b1, \u03b2)" + suffix)
        if not np.allclose(pure, with_unavoidable):
            ax.plot(ages, with_unavoidable, ":", color=colour, linewidth=1.8,
                    label="sBG \u00d7 unavoidable churn (1\u2212u)\u1d57" + suffix)
    units = matrix.attrs.get("dim_units", {})
    ax.set_xlabel(axis_label("cohort age", units.get("age", "months")))
    ax.set_ylabel(axis_label("share of the initial cohort still active",
                             matrix.attrs.get("units")))
    ax.set_ylim(0, 1.02)
    ax.set_xlim(0, ages.max())
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left")
    ax.set_title("Survival of the initial cohort: simulation vs the sBG closed form\n"
                 "(segments' curves weighted by their shares)")
    return fig


def plot_retention_heatmap(results, scenario, figsize=None):
    """Cohort x age heatmap of logo retention; cells that cannot exist are left blank."""
    results = _open(results)
    matrix = cr.cohort_matrix(results, scenario)
    fig, ax = _figure(figsize)
    cmap = plt.get_cmap("viridis").copy()
    cmap.set_bad("white")
    values = np.ma.masked_invalid(matrix.to_numpy())
    ages, cohorts = matrix.columns.to_numpy(), matrix.index.to_numpy()
    image = ax.pcolormesh(np.append(ages, ages[-1] + 1) - 0.5,
                          np.append(cohorts, cohorts[-1] + 1) - 0.5,
                          values, cmap=cmap, vmin=0.0, vmax=1.0, shading="flat")
    ax.invert_yaxis()  # the oldest cohort on top, as cohort tables are printed
    units = matrix.attrs.get("dim_units", {})
    ax.set_xlabel(axis_label("cohort age", units.get("age", "months")))
    ax.set_ylabel(axis_label("cohort", units.get("cohort", "month of acquisition")))
    colourbar = fig.colorbar(image, ax=ax, pad=0.01)
    colourbar.set_label(axis_label("logo retention (still active / acquired)",
                                   matrix.attrs.get("units")))
    ax.set_title(f"Logo retention by cohort and age ({scenario}, pooled over replications)")
    return fig


def plot_churn_reasons(results, scenarios=None, figsize=None):
    """Mean churned logos per month by reason, stacked, one panel per scenario."""
    results = _open(results)
    scenarios = _scenarios(results, scenarios)
    fig, axes = _figure(figsize, ncols=len(scenarios), sharey=True, squeeze=False)
    for ax, scenario in zip(axes[0], scenarios):
        frame = cr.churn_reasons(results, scenario).loc[1:]  # month 0 is the starting state
        names = [n for n in REASON_COLOURS if n in frame] + \
                [n for n in frame if n not in REASON_COLOURS]
        ax.stackplot(frame.index, *(frame[n] for n in names), labels=names,
                     colors=[REASON_COLOURS.get(n, "C7") for n in names], alpha=0.9,
                     edgecolor="white", linewidth=0.3)
        ax.set_title(scenario)
        ax.set_xlabel(axis_label("time since start", frame.attrs["dim_units"]["month"]))
        ax.set_xlim(frame.index.min(), frame.index.max())
        ax.grid(alpha=0.3)
    units = set(frame.attrs["units"].values())
    axes[0][0].set_ylabel(axis_label("churned logos (mean over replications)",
                                     units.pop() if len(units) == 1 else ""))
    handles, labels = axes[0][0].get_legend_handles_labels()
    # Top-down in stacking order, beside the last panel (constrained layout makes room).
    axes[0][-1].legend(handles[::-1], [reason_label(n) for n in labels[::-1]],
                       loc="center left", bbox_to_anchor=(1.02, 0.5), title="churn reason")
    fig.suptitle("Churned logos per month by reason")
    return fig


def plot_active_customers(results, scenarios=None, figsize=None):
    """Mean active customers with the 5-95% band across replications, one colour per
    scenario."""
    results = _open(results)
    scenarios = _scenarios(results, scenarios)
    fig, ax = _figure(figsize)
    for i, scenario in enumerate(scenarios):
        mean = cr.load_stat(results, scenario, "mean")["active_customers"]
        quantiles = cr.load_stat(results, scenario, "quantiles")["active_customers"]
        low, high = quantiles.sel(quantile=0.05), quantiles.sel(quantile=0.95)
        ax.fill_between(mean["month"], low, high, color=f"C{i}", alpha=0.25, linewidth=0,
                        label=f"{scenario}: 5\u201395% of replications")
        ax.plot(mean["month"], mean, color=f"C{i}", linewidth=2, label=f"{scenario}: mean")
    ax.set_xlabel(axis_label("time since start", mean["month"].attrs.get("units")))
    ax.set_ylabel(axis_label("active customers at month end", mean.attrs.get("units")))
    ax.set_xlim(mean["month"].min(), mean["month"].max())
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left")
    replications = results.attrs.get("replications")
    ax.set_title("Active customers: mean and 5\u201395% band"
                 + (f" over {replications} replications" if replications else ""))
    return fig


# name -> function(results, scenarios, figsize): the figures render_figures.py writes.
FIGURES = {
    "cohort_survival": lambda r, s, size=None: plot_cohort_survival(r, s, size),
    "retention_heatmap": lambda r, s, size=None: plot_retention_heatmap(r, s[0], size),
    "churn_reasons": lambda r, s, size=None: plot_churn_reasons(r, s, size),
    "active_customers": lambda r, s, size=None: plot_active_customers(r, s, size),
}
