"""Figures of cohortsim results, shared by the notebooks and render_figures.py.

One function per figure; each takes a results file (path or cohortsim_results.Results) and
scenario names, and returns a matplotlib Figure whose axes carry the datasets' units.

    import cohortsim_plots as cp
    cp.plot_cohort_survival(results, "baseline")
    cp.plot_retention_heatmap(results, "baseline")
    cp.plot_churn_reasons(results, ["baseline", "onboarding_programme"])
    cp.plot_active_customers(results, ["baseline", "onboarding_programme"])
    cp.plot_mrr_waterfall(results, "net_negative_churn")             # last 12 months
    cp.plot_retention_rates(results, ["baseline", "net_negative_churn"])    # NRR, GRR
    cp.plot_net_mrr_churn(results, ["baseline", "net_negative_churn"])
    cp.plot_comparison(results, "net_negative_churn")   # paired differences with 95% CI
    cp.plot_fan_chart(results, "net_negative_churn", "arr")
    cp.plot_revenue_by_month(results, ["baseline", "net_negative_churn"])
    cp.plot_sales_cost(team_results, ["generalist_team", "split_team"])
    cp.plot_comparison(team_results, "split_team", cp.TEAM_METRICS)   # split - generalist
    cp.plot_sweep(sweep_results, "arr", months=(12, 36))   # a --sweep run, one panel a company
"""

import math

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

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
    "MOVEMENT_LABELS",
    "money",
    "plot_mrr_waterfall",
    "plot_retention_rates",
    "plot_net_mrr_churn",
    "plot_comparison",
    "plot_fan_chart",
    "plot_revenue_by_month",
    "plot_sales_cost",
    "TEAM_METRICS",
    "SWEEP_LABELS",
    "best_variant",
    "plot_sweep",
    "FIGURE_KINDS",
    "figures_for",
]

# Churn reasons in the order of the model (docs/model.md 4.4: customer-side first, then seed 004's
# seven causes), each with an Okabe-Ito colour (distinguishable with the common colour-vision
# deficiencies).
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
MOVEMENT_LABELS = {
    "mrr_start": "MRR at start", "new_mrr": "new", "expansion_mrr": "expansion (usage)",
    "upsell_mrr": "upsell", "cross_sell_mrr": "cross-sell", "reactivation_mrr": "reactivation",
    "contraction_mrr": "contraction", "churned_mrr": "churned", "mrr_end": "MRR at end",
}
GAIN, LOSS, STOCK = "#009E73", "#D55E00", "#7F7F7F"  # Okabe-Ito green and vermilion, grey


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
        _band_and_mean(ax, mean, quantiles, f"C{i}", f"{scenario}: 5\u201395% of replications",
                       f"{scenario}: mean", alpha=0.25)
    ax.set_xlabel(axis_label("time since start", mean["month"].attrs.get("units")))
    ax.set_ylabel(axis_label("active customers at month end", mean.attrs.get("units")))
    ax.set_xlim(mean["month"].min(), mean["month"].max())
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left")
    replications = results.attrs.get("replications")
    ax.set_title("Active customers: mean and 5\u201395% band"
                 + (f" over {replications} replications" if replications else ""))
    return fig

def money(value, _position=None):
    """1234567 -> '1.23M', 45600 -> '45.6k': currency amounts on axes and bars."""
    for limit, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= limit:
            return f"{value / limit:.3g}{suffix}"
    return f"{value:.3g}"


def _band_and_mean(ax, mean, quantiles, colour, band_label, mean_label, scale=1.0, alpha=0.2):
    """A metric's 5-95% band across replications and its mean line (DataArrays by month)."""
    ax.fill_between(mean["month"], scale * quantiles.sel(quantile=0.05),
                    scale * quantiles.sel(quantile=0.95), color=colour, alpha=alpha, linewidth=0,
                    label=band_label)
    ax.plot(mean["month"], scale * mean, color=colour, linewidth=2, label=mean_label)


def _percent_units(units):
    """Units of a rate shown in percent: '1' -> '%', '1/month' -> '%/month'."""
    return "%" + units[1:] if units.startswith("1") else units


def _months_axis(ax, months, units="month"):
    ax.set_xlabel(axis_label("time since start", units))
    ax.set_xlim(months.min(), months.max())
    ax.grid(alpha=0.3)


def _replications(results):
    replications = results.attrs.get("replications")
    return f" over {replications} replications" if replications else ""


def plot_mrr_waterfall(results, scenario, first=None, last=None, figsize=None):
    """The MRR bridge of months first..last (default: the last 12 months) as a waterfall: MRR
    at the start, each movement's mean total (gains up, losses down), MRR at the end."""
    results = _open(results)
    bridge = cr.mrr_bridge(results, scenario, first, last)
    fig, ax = _figure(figsize)
    level, colours = 0.0, {"stock": STOCK, "gain": GAIN, "loss": LOSS}
    for x, (step, row) in enumerate(bridge.iterrows()):
        bottom = 0.0 if row.kind == "stock" else (level if row.value >= 0 else level + row.value)
        height = abs(row.value)
        ax.bar(x, height, bottom=bottom, color=colours[row.kind], width=0.7)
        sign = "" if row.kind == "stock" else ("+" if row.value >= 0 else "\u2212")
        ax.annotate(sign + money(abs(row.value)),
                    (x, bottom + height), xytext=(0, 3), textcoords="offset points",
                    ha="center", va="bottom", fontsize=9)
        level = row.value if row.kind == "stock" else level + row.value
    ax.set_xticks(range(len(bridge)), [MOVEMENT_LABELS.get(s, s) for s in bridge.index],
                  rotation=20, ha="right")
    ax.yaxis.set_major_formatter(FuncFormatter(money))
    ax.set_ylabel(axis_label("MRR (mean over replications)", bridge.attrs["units"]))
    ax.set_ylim(0, ax.get_ylim()[1] * 1.05)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(handles=[Patch(color=STOCK, label="MRR at month end"),
                       Patch(color=GAIN, label="gained in the period"),
                       Patch(color=LOSS, label="lost in the period")], loc="upper left")
    ax.set_title(f"MRR movements, months {bridge.attrs['first']}\u2013{bridge.attrs['last']} "
                 f"({scenario}, mean{_replications(results)})")
    return fig


def plot_retention_rates(results, scenarios=None, figsize=None):
    """Trailing-12-month NRR (solid, with its 5-95% band) and GRR (dashed) against 100%,
    one colour per scenario."""
    results = _open(results)
    scenarios = _scenarios(results, scenarios)
    fig, ax = _figure(figsize)
    for i, scenario in enumerate(scenarios):
        mean = cr.load_stat(results, scenario, "mean").sel(month=slice(1, None))
        quantiles = cr.load_stat(results, scenario, "quantiles").sel(month=slice(1, None))
        months = mean["month"]
        _band_and_mean(ax, mean["nrr"], quantiles["nrr"], f"C{i}",
                       f"{scenario}: NRR, 5\u201395% of replications", f"{scenario}: NRR (mean)",
                       scale=100)
        ax.plot(months, 100 * mean["grr"], "--", color=f"C{i}", linewidth=1.5,
                label=f"{scenario}: GRR (mean)")
    ax.axhline(100, color="black", linewidth=1)
    ax.axvline(12, color="grey", linestyle=":", linewidth=1)
    ax.annotate("full 12-month window from here\n(before: since month 0)", (12, 0.02),
                xycoords=("data", "axes fraction"), xytext=(4, 0), textcoords="offset points",
                fontsize=8, color="dimgrey")
    _months_axis(ax, months.to_numpy(), months.attrs.get("units", "month"))
    ax.set_ylabel(axis_label("revenue retention, trailing 12 months",
                             _percent_units(mean["nrr"].attrs.get("units", "1"))))
    ax.legend(loc="best", fontsize=8)
    ax.set_title("Net (NRR) and gross (GRR) revenue retention against 100%")
    return fig


def plot_net_mrr_churn(results, scenarios=None, figsize=None):
    """Monthly net MRR churn rate (mean and 5-95% band) with the zero line: below it, revenue
    won from existing customers outgrows revenue lost (net negative churn)."""
    results = _open(results)
    scenarios = _scenarios(results, scenarios)
    fig, ax = _figure(figsize)
    for i, scenario in enumerate(scenarios):
        mean = cr.load_stat(results, scenario, "mean").sel(month=slice(1, None))
        quantiles = cr.load_stat(results, scenario, "quantiles").sel(month=slice(1, None))
        months = mean["month"]
        _band_and_mean(ax, mean["net_mrr_churn_rate"], quantiles["net_mrr_churn_rate"], f"C{i}",
                       f"{scenario}: 5\u201395% of replications",
                       f"{scenario}: net MRR churn (mean)", scale=100)
        ax.plot(months, 100 * mean["gross_mrr_churn_rate"], ":", color=f"C{i}", linewidth=1.5,
                label=f"{scenario}: gross MRR churn (mean)")
    ax.axhline(0, color="black", linewidth=1)
    low = ax.get_ylim()[0]
    if low < 0:
        ax.axhspan(low, 0, color=GAIN, alpha=0.06, linewidth=0)
        ax.annotate("net negative churn", (0.99, 0.02), xycoords="axes fraction",
                    ha="right", fontsize=9, color=GAIN)
        ax.set_ylim(bottom=low)
    _months_axis(ax, months.to_numpy(), months.attrs.get("units", "month"))
    ax.set_ylabel(axis_label("MRR churn rate, share of last month's MRR",
                             _percent_units(mean["net_mrr_churn_rate"].attrs.get("units", ""))))
    ax.legend(loc="upper right", fontsize=8)
    ax.set_title("Net MRR churn rate by month: (lost \u2212 won from existing customers) / MRR")
    return fig


# Panel titles where the metric's name does not read well.
METRIC_TITLES = {"arr": "ARR", "new_customers": "new logos", "farmer_coverage":
                 "accounts covered by a farmer (share)", "cumulative_operating_profit": "cumulative operating profit"}
# Metrics of the strategy comparison panels; rates are shown in percentage points.
COMPARISON_METRICS = ("mrr", "nrr", "net_mrr_churn_rate", "active_customers")
_RATE_UNITS = ("1", "1/month")


def plot_comparison(results, scenario, metrics=COMPARISON_METRICS, figsize=None):
    """Paired differences scenario - comparison base by month (mean over replications, with
    the 95% confidence interval of that mean), one panel per metric."""
    results = _open(results)
    stats = {stat: cr.load_comparison(results, scenario, stat)
             for stat in ("mean", "ci_low", "ci_high")}
    mean = stats["mean"].sel(month=slice(1, None))
    ncols = 2 if len(metrics) > 1 else 1
    nrows = math.ceil(len(metrics) / ncols)
    if figsize is None and nrows > 2:
        figsize = (DEFAULT_SIZE[0], 2.3 * nrows + 0.6)  # room for each row's labels
    fig, axes = _figure(figsize, nrows=nrows, ncols=ncols, sharex=True, squeeze=False)
    months = mean["month"]
    confidence = mean.attrs.get("confidence", 0.95)
    for ax, metric in zip(axes.flat, metrics):
        units = mean[metric].attrs.get("units", "")
        scale = 100 if units in _RATE_UNITS else 1
        low = stats["ci_low"][metric].sel(month=slice(1, None))
        high = stats["ci_high"][metric].sel(month=slice(1, None))
        ax.fill_between(months, scale * low, scale * high, color="C1", alpha=0.35, linewidth=0,
                        label=f"{confidence:.0%} confidence interval")
        ax.plot(months, scale * mean[metric], color="C1", linewidth=2, label="mean difference")
        ax.axhline(0, color="black", linewidth=1)
        ax.set_title(METRIC_TITLES.get(metric, metric.replace("_", " ").replace(
            "mrr", "MRR").replace("nrr", "NRR")), fontsize=10)
        ax.set_ylabel(axis_label("difference", "percentage points" + units[1:]
                                 if scale == 100 else units), fontsize=9)
        if units.startswith("currency"):
            ax.yaxis.set_major_formatter(FuncFormatter(money))
        ax.grid(alpha=0.3)
        ax.set_xlim(months.min(), months.max())
    for ax in axes[-1]:
        ax.set_xlabel(axis_label("time since start", months.attrs.get("units", "month")))
    for ax in axes.flat[len(metrics):]:
        ax.set_visible(False)
    axes.flat[0].legend(loc="best", fontsize=8)
    fig.suptitle(f"{mean.attrs['scenario']} \u2212 {mean.attrs['baseline']}: paired difference "
                 f"by month\n(mean{_replications(results)} with the same customers and draws)")
    return fig


def plot_fan_chart(results, scenario, metric="arr", figsize=None):
    """Fan chart of a metric: the 5-95% and 25-75% bands across replications, the median and
    the mean."""
    results = _open(results)
    quantiles = cr.load_stat(results, scenario, "quantiles")[metric]
    mean = cr.load_stat(results, scenario, "mean")[metric]
    months = quantiles["month"]
    fig, ax = _figure(figsize)
    ax.fill_between(months, quantiles.sel(quantile=0.05), quantiles.sel(quantile=0.95),
                    color="C0", alpha=0.2, linewidth=0, label="5\u201395% of replications")
    ax.fill_between(months, quantiles.sel(quantile=0.25), quantiles.sel(quantile=0.75),
                    color="C0", alpha=0.4, linewidth=0, label="25\u201375%")
    ax.plot(months, quantiles.sel(quantile=0.5), color="C0", linewidth=2, label="median")
    ax.plot(months, mean, "--", color="black", linewidth=1, label="mean")
    _months_axis(ax, months.to_numpy(), months.attrs.get("units", "month"))
    ax.yaxis.set_major_formatter(FuncFormatter(money))
    name = {"arr": "ARR (12 \u00d7 MRR)", "mrr": "MRR"}.get(metric, metric.replace("_", " "))
    ax.set_ylabel(axis_label(name + " at month end", mean.attrs.get("units")))
    ax.legend(loc="upper left")
    ax.set_title(f"{name} forecast: {scenario}{_replications(results)}")
    return fig


def plot_revenue_by_month(results, scenarios=None, figsize=None):
    """Subscription revenue of each month (mean over replications, bars) with the 5-95% range
    across replications (error bars), scenarios side by side."""
    results = _open(results)
    scenarios = _scenarios(results, scenarios)
    fig, ax = _figure(figsize)
    width = 0.8 / len(scenarios)
    for i, scenario in enumerate(scenarios):
        mean = cr.load_stat(results, scenario, "mean")["revenue"].sel(month=slice(1, None))
        quantiles = cr.load_stat(results, scenario, "quantiles")["revenue"].sel(
            month=slice(1, None))
        months = mean["month"].to_numpy()
        error = [mean - quantiles.sel(quantile=0.05), quantiles.sel(quantile=0.95) - mean]
        ax.bar(months + (i - (len(scenarios) - 1) / 2) * width, mean, width=width,
               color=f"C{i}", yerr=error, error_kw={"elinewidth": 0.6, "ecolor": "dimgrey"},
               label=f"{scenario}: mean, 5\u201395% range")
    ax.set_xlabel(axis_label("month", mean["month"].attrs.get("units", "month")))
    ax.set_xlim(months.min() - 0.6, months.max() + 0.6)
    ax.yaxis.set_major_formatter(FuncFormatter(money))
    ax.set_ylabel(axis_label("subscription revenue of the month", mean.attrs.get("units")))
    ax.grid(axis="y", alpha=0.3)
    ax.legend(loc="upper left")
    ax.set_title(f"Revenue by month{_replications(results)}")
    return fig


def plot_sales_cost(results, scenarios=None, figsize=None):
    """Sales cost by month, hunters and farmers stacked (means over replications), one panel
    per scenario; a generalist's cost is split by the share of time spent on each job."""
    results = _open(results)
    scenarios = _scenarios(results, scenarios)
    fig, axes = _figure(figsize, ncols=len(scenarios), sharey=True, squeeze=False)
    for ax, scenario in zip(axes[0], scenarios):
        mean = cr.load_stat(results, scenario, "mean").sel(month=slice(1, None))
        months = mean["month"]
        last = {n: float(mean[n][-1]) for n in ("hunter_cost", "farmer_cost")}
        ax.stackplot(months, mean["hunter_cost"], mean["farmer_cost"],
                     colors=["#0072B2", "#E69F00"], alpha=0.85, edgecolor="white",
                     linewidth=0.3,
                     labels=[f"hunting (new logos): {money(last['hunter_cost'])} in month "
                             f"{int(months[-1])}",
                             f"farming (existing accounts): {money(last['farmer_cost'])}"])
        ax.plot(months, mean["sales_cost"], color="black", linewidth=1,
                label=f"sales cost: {money(float(mean['sales_cost'][-1]))}")
        _months_axis(ax, months.to_numpy(), months.attrs.get("units", "month"))
        ax.yaxis.set_major_formatter(FuncFormatter(money))
        ax.set_ylim(0, 1.35 * float(mean["sales_cost"].max()))  # room for the legend
        ax.set_title(scenario)
        ax.legend(loc="upper left", fontsize=8)
    axes[0][0].set_ylabel(axis_label("sales cost of the month (mean over replications)",
                                     mean["sales_cost"].attrs.get("units")))
    fig.suptitle(f"Sales cost by month: hunting and farming{_replications(results)}")
    return fig


# Split against generalist team: acquisition, coverage, retention, and what they add up to.
TEAM_METRICS = ("new_customers", "farmer_coverage", "nrr", "active_customers", "arr",
                "cumulative_operating_profit")
# Axis labels of swept keys (others show the key itself).
SWEEP_LABELS = {"team.hunter_share": "hunter share: hunters / all reps [fraction]"}


def best_variant(table, key, by="mean"):
    """Rows of a cr.sweep_table (one kpi, one month) with the highest `by` per swept scenario:
    DataFrame indexed by scenario, with the variant, its swept value and the statistics."""
    best = table.loc[table.groupby("scenario", sort=False)[by].idxmax()]
    return best.set_index("scenario")


def plot_sweep(results, metric="arr", months=(12, 36), key=None, figsize=None):
    """A metric of a --sweep run against the swept value, one panel per swept scenario (each
    with its own scale): for each of `months`, the mean across replications with the 5-95%
    band, and a star on the best value (highest mean)."""
    results = _open(results)
    variants = cr.sweep_variants(results)
    key = key or variants.columns[1]
    scenarios = list(dict.fromkeys(variants.scenario))
    fig, axes = _figure(figsize, ncols=len(scenarios), squeeze=False)
    styles = ["C0", "C1", "C2", "C4"]
    for j, month in enumerate(months):
        table = cr.sweep_table(results, [metric], month=month)
        table = table[table.kpi == metric].sort_values(key)
        best = best_variant(table, key)
        for ax, scenario in zip(axes[0], scenarios):
            rows = table[table.scenario == scenario]
            colour = styles[j % len(styles)]
            ax.fill_between(rows[key], rows.q05, rows.q95, color=colour, alpha=0.18,
                            linewidth=0)
            ax.plot(rows[key], rows["mean"], "o-", color=colour, markersize=4, linewidth=1.8,
                    label=f"month {month}: mean, 5\u201395% band")
            top = best.loc[scenario]
            ax.plot(top[key], top["mean"], "*", color=colour, markersize=16,
                    markeredgecolor="black", zorder=5)
            ax.annotate(f"best {top[key]:g}", (top[key], top["mean"]), xytext=(0, 10),
                        textcoords="offset points", ha="center", fontsize=9)
    units = table.units.iloc[0]
    name = {"arr": "ARR (12 \u00d7 MRR)"}.get(metric, metric.replace("_", " "))
    for ax, scenario in zip(axes[0], scenarios):
        ax.set_title(scenario)
        ax.set_xlabel(SWEEP_LABELS.get(key, key))
        ax.yaxis.set_major_formatter(FuncFormatter(money))
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel(axis_label(name + " at month end", units))
    axes[0][0].legend(loc="upper left", fontsize=8,
                      title="\u2605 best (highest mean)", title_fontsize=8)
    fig.suptitle(f"{name} against {SWEEP_LABELS.get(key, key).split(':')[0]}"
                 f"{_replications(results)}")
    return fig


# name -> function(results, scenarios, figsize): the figures render_figures.py writes.
FIGURES = {
    "cohort_survival": lambda r, s, size=None: plot_cohort_survival(r, s, size),
    "retention_heatmap": lambda r, s, size=None: plot_retention_heatmap(r, s[0], size),
    "churn_reasons": lambda r, s, size=None: plot_churn_reasons(r, s, size),
    "active_customers": lambda r, s, size=None: plot_active_customers(r, s, size),
    # Strategy figures: the last scenario given (its comparison is against the file's first).
    "mrr_waterfall": lambda r, s, size=None: plot_mrr_waterfall(r, s[-1], figsize=size),
    "retention_rates": lambda r, s, size=None: plot_retention_rates(r, s, size),
    "net_mrr_churn": lambda r, s, size=None: plot_net_mrr_churn(r, s, size),
    "strategy_difference": lambda r, s, size=None: plot_comparison(r, s[-1], figsize=size),
    "arr_fan_chart": lambda r, s, size=None: plot_fan_chart(r, s[-1], "arr", size),
    "revenue_by_month": lambda r, s, size=None: plot_revenue_by_month(r, s, size),
    # Sales-team figures: the scenarios with a team; the difference of the last one.
    "sales_cost": lambda r, s, size=None: plot_sales_cost(
        r, [x for x in s if x in cr.team_scenarios(r)], size),
    "team_difference": lambda r, s, size=None: plot_comparison(r, s[-1], TEAM_METRICS, size),
    # A sweep of team.hunter_share (every swept scenario of the file).
    "arr_vs_hunter_share": lambda r, s, size=None: plot_sweep(r, "arr", (12, 36),
                                                              "team.hunter_share", size),
}
# What a figure needs: "runs" (scenarios, not sweep variants), "team" (scenarios with a sales
# team and a comparison) or "hunter_sweep" (a --sweep of team.hunter_share).
FIGURE_KINDS = {name: "runs" for name in FIGURES}
FIGURE_KINDS.update(sales_cost="team", team_difference="team",
                    arr_vs_hunter_share="hunter_sweep")


def figures_for(results):
    """The names of FIGURES that a results file can show: for a sweep of team.hunter_share its
    figure alone; otherwise the scenario figures, and the team figures if it has scenarios
    with a sales team and comparisons."""
    results = _open(results)
    try:
        swept = cr.sweep_variants(results).columns
    except ValueError:
        swept = None
    if swept is not None:
        return [n for n, k in FIGURE_KINDS.items()
                if k == "hunter_sweep" and "team.hunter_share" in swept]
    teams = bool(cr.team_scenarios(results)) and bool(results.comparisons)
    return [n for n, k in FIGURE_KINDS.items() if k == "runs" or (k == "team" and teams)]
