"""End-to-end: every notebook in notebooks/ runs top to bottom on a results file written by the
real CLI, render_figures.py writes its PNGs, and the committed notebooks carry no outputs.

Usage: /usr/bin/python3 e2e_notebooks.py <path-to-cohortsim>

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

from checks import Checks

SOURCE_DIR = os.path.abspath(os.environ.get(
    "COHORTSIM_SOURCE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")))
NOTEBOOKS_DIR = os.path.join(SOURCE_DIR, "notebooks")
SCENARIOS = ["baseline.toml", "onboarding_programme.toml"]
RUN_OPTIONS = ["--replications", "40", "--horizon", "24", "--quiet", "--force"]
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


def kernel_environment(directory, results):
    """What the kernel inherits: the results path, the reader on PYTHONPATH, and Jupyter and
    IPython state kept in the temporary directory."""
    jupyter_dir = os.path.join(directory, "jupyter")
    install_kernel(jupyter_dir)
    paths = [jupyter_dir] + [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    python_path = [NOTEBOOKS_DIR] + [p for p in os.environ.get("PYTHONPATH", "").split(
        os.pathsep) if p]
    os.environ.update(
        COHORTSIM_RESULTS=results,
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


def check_render_figures(checks, results, directory):
    out = os.path.join(directory, "figures")
    proc = subprocess.run([sys.executable, os.path.join(NOTEBOOKS_DIR, "render_figures.py"),
                           results, "-o", out, "--dpi", "60"],
                          capture_output=True, text=True, timeout=600)
    if checks.check("render_figures.py exits 0", proc.returncode == 0,
                    f"exit code {proc.returncode}; stderr: {proc.stderr}"):
        written = proc.stdout.split()
        checks.check("render_figures.py writes 4 non-empty PNG files",
                     len(written) == 4 and all(os.path.getsize(p) > 1000 for p in written),
                     f"wrote {written}")


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    cohortsim = os.path.abspath(sys.argv[1])
    checks = Checks()
    with tempfile.TemporaryDirectory(prefix="cohortsim-e2e-notebooks-") as directory:
        results = os.path.join(directory, "results.h5")
        scenarios = [os.path.join(SOURCE_DIR, "scenarios", s) for s in SCENARIOS]
        proc = subprocess.run([cohortsim, "run", *scenarios, "-o", results, *RUN_OPTIONS],
                              capture_output=True, text=True, timeout=900)
        ok = checks.check("cohortsim run writes the results file",
                          proc.returncode == 0 and os.path.isfile(results),
                          f"exit code {proc.returncode}; stderr: {proc.stderr}")
        notebooks = sorted(glob.glob(os.path.join(NOTEBOOKS_DIR, "*.ipynb")))
        checks.check("notebooks/ holds notebooks", bool(notebooks), f"none in {NOTEBOOKS_DIR}")
        for path in notebooks:
            stored = stored_outputs(nbformat.read(path, as_version=4))
            checks.check(f"{os.path.basename(path)}: committed without outputs", not stored,
                         f"code cells {stored} carry outputs or execution counts; clear them: "
                         "/usr/bin/python3 -m nbconvert --clear-output --inplace notebooks/*.ipynb")
        if ok:
            kernel_environment(directory, results)
            print(f"kernel: {sys.executable}; results: {' '.join(SCENARIOS)} "
                  f"{' '.join(RUN_OPTIONS)}")
            for path in notebooks:
                run_notebook(checks, path)
            check_render_figures(checks, results, directory)
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
