"""Render the key figures of a cohortsim results file to PNG (the plots of the notebooks).

    /usr/bin/python3 notebooks/render_figures.py cohortsim-results.h5
    /usr/bin/python3 notebooks/render_figures.py results.h5 -o /tmp/figures --size 9x5 --dpi 100

The README's images (notebooks/images/, committed, so small) are written with
    --size 9x5 --dpi 100 --compact --figure cohort_survival --figure churn_reasons
and, from a run of scenarios/baseline.toml and scenarios/net_negative_churn.toml,
    --size 9x5 --dpi 100 --compact --figure mrr_waterfall --figure strategy_difference
and, from a sweep of the two companies of scenarios/teams/,
    cohortsim run scenarios/teams/early_stage.toml scenarios/teams/scale_up.toml \
        --sweep team.hunter_share=0:1:0.125 --keep-paths -o cohortsim-sweep.h5
    --size 10x5 --dpi 100 --compact --figure arr_vs_hunter_share

Writes <name>.png for each figure of cohortsim_plots.FIGURES that the file can show
(cohortsim_plots.figures_for: a sweep of team.hunter_share gets its sweep figure, a run with
sales teams the team figures too) into the output directory (default: notebooks/figures/,
git-ignored) and prints each path.
"""

import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")  # files only; no display needed
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cohortsim_plots as cp  # noqa: E402
import cohortsim_results as cr  # noqa: E402


def size(text):
    """'9x5' -> (9.0, 5.0) inches."""
    try:
        width, height = (float(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT in inches, got {text!r}")
    return width, height


def compact(path):
    """Rewrite a PNG with a 256-colour palette (plots have few colours; no dithering)."""
    from PIL import Image  # Pillow: a dependency of matplotlib

    with Image.open(path) as image:
        palette = image.convert("RGB").quantize(
            colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    palette.save(path, optimize=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("results", help="cohortsim results file (.h5)")
    parser.add_argument("-o", "--output", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "figures"),
        help="directory for the PNG files (default: notebooks/figures)")
    parser.add_argument("--scenario", action="append", dest="scenarios", metavar="NAME",
                        help="scenario to plot (repeatable; default: every scenario in the "
                             "file; the retention heatmap uses the first, the strategy figures "
                             "(mrr_waterfall, strategy_difference, arr_fan_chart, "
                             "team_difference) the last, compared with the file's first "
                             "scenario)")
    parser.add_argument("--figure", action="append", dest="figures", metavar="NAME",
                        choices=list(cp.FIGURES),
                        help=f"figure to render (repeatable; one of {list(cp.FIGURES)}; default: "
                             "every figure the file can show)")
    parser.add_argument("--size", type=size, default=None,
                        help="figure size in inches, WIDTHxHEIGHT (default: 9x5, taller for "
                             "panels in three rows)")
    parser.add_argument("--dpi", type=float, default=150, help="resolution (default: 150)")
    parser.add_argument("--compact", action="store_true",
                        help="store a 256-colour palette PNG (a third of the size; for files "
                             "committed to the repository)")
    args = parser.parse_args(argv)

    results = cr.open_results(args.results)
    scenarios = args.scenarios or results.scenarios
    missing = [s for s in scenarios if s not in results.scenarios]
    if missing:
        parser.error(f"no scenario {missing} in {args.results}; it has {results.scenarios}")
    os.makedirs(args.output, exist_ok=True)
    for name in args.figures or cp.figures_for(results):
        figure = cp.FIGURES[name](results, scenarios, args.size)
        path = os.path.join(args.output, f"{name}.png")
        figure.savefig(path, dpi=args.dpi)
        plt.close(figure)
        if args.compact:
            compact(path)
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
