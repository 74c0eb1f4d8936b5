"""End-to-end: every notebook in notebooks/ runs top to bottom on a results file written by the
real CLI, render_figures.py writes its PNGs, and the committed notebooks carry no outputs.

Usage: /usr/bin/python3 e2e_notebooks.py <path-to-cohortsim>

The results files are small but hold everything the notebooks read: three scenarios of a few
thousand customers (a baseline, two strategies and their paired comparisons, NRR over more than
a year; 50 replications, 36 months); the split and generalist sales teams of scenarios/teams/
(50 replications); and a sweep of the hunter share (0, 0.5, 1) of the early-stage and the
scale-up company, with paths (40 replications). They are written in parallel, in about 3 s.

The notebooks run in a kernel of this same Python (under ctest, Debian's /usr/bin/python3),
declared in a temporary JUPYTER_PATH; they read the results file from COHORTSIM_RESULTS. The
executed copies are kept in ./notebooks-executed/ (the build tree) for a look after a failure.
"""

import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import nbformat
from nbconvert.preprocessors import CellExecutionError, ExecutePreprocessor

from checks import Checks, cohortsim_argument

SOURCE_DIR = os.path.abspath(os.environ.get(
    "COHORTSIM_SOURCE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")))
NOTEBOOKS_DIR = os.path.join(SOURCE_DIR, "notebooks")
sys.path.insert(0, NOTEBOOKS_DIR)
from cohortsim_plots import FIGURES  # noqa: E402  (the figures render_figures.py writes)

SCENARIOS = ["baseline.toml", "onboarding_programme.toml", "net_negative_churn.toml"]
RUN_OPTIONS = ["--replications", "50", "--horizon", "36", "--quiet", "--force"]
# name -> (environment variable the notebooks read, cohortsim run arguments)
RESULTS = {
    "results.h5": ("COHORTSIM_RESULTS", [*(os.path.join("scenarios", s) for s in SCENARIOS),
                                         *RUN_OPTIONS]),
    "teams.h5": ("COHORTSIM_TEAM_RESULTS",
                 ["scenarios/teams/generalist_team.toml", "scenarios/teams/split_team.toml",
                  *RUN_OPTIONS]),
    "sweep.h5": ("COHORTSIM_SWEEP_RESULTS",
                 ["scenarios/teams/early_stage.toml", "scenarios/teams/scale_up.toml",
                  "--sweep", "team.hunter_share=0:1:0.5", "--keep-paths",
                  "--replications", "40", "--horizon", "36", "--quiet", "--force"]),
}
# Figures rendered from each file: None = render_figures.py's default (what the file can show).
RENDERED = {"results.h5": None, "teams.h5": ["sales_cost", "team_difference"],
            "sweep.h5": None}
# The notebooks the README promises; any other notebook in notebooks/ runs too.
NOTEBOOKS = ["01_retention_curves.ipynb", "02_net_negative_churn.ipynb",
             "03_revenue_forecast.ipynb", "04_hunter_farmer_sweep.ipynb"]
KERNEL_NAME = "cohortsim-test-python3"
CELL_TIMEOUT = 300  # seconds per cell
EXECUTED_DIR = "notebooks-executed"


def stored_outputs(notebook):
    """Code cells of a committed notebook that carry outputs or an execution count."""
    return [i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code"
            and (cell.get("outputs") or cell.get("execution_count") is not None)]


def install_kernel(jupyter_dir):
    """A kernel spec running this very Python, found first through JUPYTER_PATH."""
    spec_dir = os.path.join(jupyter_dir, "kernels", KERNEL_NAME)
    os.makedirs(spec_dir)
    with open(os.path.join(spec_dir, "kernel.json"), "w") as f:
        json.dump({"argv": [sys.executable, "-m", "ipykernel_launcher", "-f",
                            "{connection_file}"],
                   "display_name": f"cohortsim tests ({sys.executable})",
                   "language": "python"}, f)


def kernel_environment(directory, files):
    """What the kernel inherits: the results paths, the reader on PYTHONPATH, and Jupyter and
    IPython state kept in the temporary directory."""
    jupyter_dir = os.path.join(directory, "jupyter")
    install_kernel(jupyter_dir)
    paths = [jupyter_dir] + [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    python_path = [NOTEBOOKS_DIR] + [p for p in os.environ.get("PYTHONPATH", "").split(
        os.pathsep) if p]
    os.environ.update({RESULTS[name][0]: path for name, path in files.items()})
    os.environ.update(
        JUPYTER_PATH=os.pathsep.join(paths),
        JUPYTER_RUNTIME_DIR=os.path.join(directory, "runtime"),
        IPYTHONDIR=os.path.join(directory, "ipython"),
        PYTHONPATH=os.pathsep.join(python_path),
        PYDEVD_DISABLE_FILE_VALIDATION="1",  # ipykernel's debugger warns about frozen modules
    )
    os.environ.pop("MPLBACKEND", None)  # the kernel's inline backend, so figures are captured


def images(notebook):
    return sum("image/png" in output.get("data", {})
               for cell in notebook.cells if cell.cell_type == "code"
               for output in cell.get("outputs", []))


def warnings_printed(notebook):
    return [output.get("text", "") for cell in notebook.cells if cell.cell_type == "code"
            for output in cell.get("outputs", [])
            if output.get("output_type") == "stream" and output.get("name") == "stderr"]


def run_notebook(checks, path):
    name = os.path.basename(path)
    notebook = nbformat.read(path, as_version=4)
    processor = ExecutePreprocessor(timeout=CELL_TIMEOUT, kernel_name=KERNEL_NAME)
    start = time.monotonic()
    try:
        processor.preprocess(notebook, {"metadata": {"path": NOTEBOOKS_DIR}})
        error = None
    except CellExecutionError as e:
        error = re.sub(r"\x1b\[[0-9;]*m", "", str(e))  # IPython's colours, unreadable in logs
    seconds = time.monotonic() - start
    os.makedirs(EXECUTED_DIR, exist_ok=True)
    nbformat.write(notebook, os.path.join(EXECUTED_DIR, name))
    if checks.check(f"{name}: every cell runs", error is None, error):
        print(f"{name}: ran in {seconds:.1f} s, {images(notebook)} figures")
        checks.check(f"{name}: shows figures", images(notebook) > 0, "no image/png output")
        for text in warnings_printed(notebook):
            print(f"{name}: warning printed by a cell:\n    " + text.replace("\n", "\n    "))


def start_render_figures(files, directory):
    """render_figures.py on every results file, in the background while the notebooks run."""
    started = {}
    for name, path in files.items():
        out = os.path.join(directory, "figures", name)
        chosen = [a for figure in RENDERED[name] or [] for a in ("--figure", figure)]
        started[name] = subprocess.Popen(
            [sys.executable, os.path.join(NOTEBOOKS_DIR, "render_figures.py"), path, "-o", out,
             "--dpi", "60", *chosen], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "MPLBACKEND": "Agg"})
    return started


def check_render_figures(checks, files, started, directory):
    import cohortsim_plots as cp  # noqa: E402  (needs the results files for figures_for)

    rendered = set()
    for name, proc in started.items():
        stdout, stderr = proc.communicate(timeout=600)
        if not checks.check(f"render_figures.py {name} exits 0", proc.returncode == 0,
                            f"exit code {proc.returncode}; stderr: {stderr}"):
            continue
        out = os.path.join(directory, "figures", name)
        written = sorted(os.path.basename(p) for p in stdout.split())
        expected = sorted(f"{f}.png" for f in RENDERED[name] or cp.figures_for(files[name]))
        checks.check(f"render_figures.py {name} writes {len(expected)} non-empty PNG files",
                     written == expected and all(os.path.getsize(os.path.join(out, p)) > 1000
                                                 for p in written),
                     f"wrote {written}, expected {expected}")
        rendered.update(p[:-4] for p in written)
    checks.check("every figure of cohortsim_plots.FIGURES is rendered from some file",
                 rendered == set(FIGURES), f"rendered {sorted(rendered)}, all {sorted(FIGURES)}")


def main():
    cohortsim = cohortsim_argument(__doc__)
    checks = Checks()
    with tempfile.TemporaryDirectory(prefix="cohortsim-e2e-notebooks-") as directory:
        start = time.monotonic()
        files = {name: os.path.join(directory, name) for name in RESULTS}
        runs = {name: subprocess.Popen([cohortsim, "run", *RESULTS[name][1], "-o", path],
                                       cwd=SOURCE_DIR, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE, text=True)
                for name, path in files.items()}
        ok = True
        for name, proc in runs.items():
            _, stderr = proc.communicate(timeout=900)
            ok &= checks.check(f"cohortsim run writes {name}",
                               proc.returncode == 0 and os.path.isfile(files[name]),
                               f"exit code {proc.returncode}; stderr: {stderr}")
        print(f"results files written in {time.monotonic() - start:.1f} s")
        notebooks = sorted(glob.glob(os.path.join(NOTEBOOKS_DIR, "*.ipynb")))
        names = [os.path.basename(p) for p in notebooks]
        checks.check("notebooks/ holds the documented notebooks",
                     all(n in names for n in NOTEBOOKS), f"{names}, expected {NOTEBOOKS}")
        for path in notebooks:
            stored = stored_outputs(nbformat.read(path, as_version=4))
            checks.check(f"{os.path.basename(path)}: committed without outputs", not stored,
                         f"code cells {stored} carry outputs or execution counts; clear them: "
                         "/usr/bin/python3 -m nbconvert --clear-output --inplace notebooks/*.ipynb")
        if ok:
            kernel_environment(directory, files)
            for name, (variable, arguments) in RESULTS.items():
                print(f"{variable}: cohortsim run {' '.join(arguments)}")
            started = start_render_figures(files, directory)
            for path in notebooks:
                run_notebook(checks, path)
            check_render_figures(checks, files, started, directory)
        print(f"total: {time.monotonic() - start:.1f} s")
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
