"""End-to-end tests of the MPI build (CMake option COHORTSIM_MPI; registered only with it):
`mpirun -n P cohortsim run` splits every scenario's replications over P ranks and must write the
same results file as one process, and a failure on any rank must end the whole job with a
non-zero exit code and no output.

- Bit-identical results: a comparison (two bundled scenarios, --keep-paths) and a sweep, on 2
  ranks, 3 ranks (uneven blocks) and more ranks than replications (a rank with nothing to do),
  and under `mpirun -n 1`, against the plain single-process run. Every dataset is compared byte
  for byte, and every attribute of every group and dataset except the root's created_utc (the
  wall-clock time of writing). Each run has its own directory and the same `-o out.h5`, so that
  even command_line agrees. The attributes HDF5 keeps for dimension scales (DIMENSION_LIST,
  REFERENCE_LIST) hold object references, which are compared through the scales' names instead.
- Failures: a missing or unwritable output directory, an existing output without --force and an
  invalid scenario end every rank with exit code 2 and the message printed once; a fault injected
  on rank 1 or rank 0 after its replications (COHORTSIM_MPI_FAIL_RANK, a testing hook of the MPI
  layer) ends the job with exit code 1. No output file and no temporary file beside it.

Open MPI in a container: --oversubscribe (more ranks than cores), --allow-run-as-root as root,
plm=isolated (start ranks on this machine without needing ssh) and
btl_vader_single_copy_mechanism=none (shared-memory single copy needs ptrace rights that
containers often lack).

Usage: e2e_mpi.py <path to cohortsim>   (COHORTSIM_MPIEXEC: mpirun to use, default mpirun)
"""
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

import h5py
import numpy as np

from checks import SMALL_SCENARIO, Checks

COHORTSIM = os.path.abspath(sys.argv[1])
SOURCE = pathlib.Path(os.environ.get("COHORTSIM_SOURCE_DIR", pathlib.Path(__file__).parents[1]))
SCENARIOS = SOURCE / "scenarios"
MPIEXEC = os.environ.get("COHORTSIM_MPIEXEC") or shutil.which("mpirun") or "mpirun"
MPI_ENV = {
    "OMPI_MCA_plm": "isolated",
    "OMPI_MCA_btl_vader_single_copy_mechanism": "none",
    "OMPI_MCA_rmaps_base_oversubscribe": "1",
}
UNPRIVILEGED = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
# Root attributes that may differ between two runs of the same results.
VOLATILE_ROOT_ATTRIBUTES = {"created_utc"}
SCALE_BOOKKEEPING = {"DIMENSION_LIST", "REFERENCE_LIST"}

checks = Checks()


def mpirun(ranks, prefix=()):
    root = os.geteuid() == 0 and not prefix
    return [*prefix, MPIEXEC, "-n", str(ranks), "--oversubscribe",
            *(["--allow-run-as-root"] if root else [])]


def run(args, cwd, ranks=None, extra_env=None, prefix=()):
    """`cohortsim run ...` alone (ranks None) or under mpirun with that many ranks."""
    launcher = [*prefix] if ranks is None else mpirun(ranks, prefix)
    env = {**os.environ, **MPI_ENV, **(extra_env or {})}
    return subprocess.run([*launcher, COHORTSIM, "run", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def objects(path):
    """Every group and dataset of a file by name, with its attributes and, for a dataset, its
    bytes, dtype, shape and the names of the scales attached to each dimension."""
    found = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            attributes = {k: v for k, v in obj.attrs.items() if k not in SCALE_BOOKKEEPING}
            entry = {"attributes": attributes}
            if isinstance(obj, h5py.Dataset):
                data = obj[()]
                entry.update(dtype=str(data.dtype), shape=data.shape,
                             bytes=np.asarray(data).tobytes(),
                             dims=[[s.name for s in dim.values()] for dim in obj.dims])
            found[name] = entry
        visit("/", f)
        f.visititems(visit)
    return found


def same_attribute(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def identical_files(label, calculated, expected):
    got, want = objects(calculated), objects(expected)
    checks.check(f"{label}: same groups and datasets", got.keys() == want.keys(),
                 f"only in the MPI file: {sorted(got.keys() - want.keys())[:10]}\n"
                 f"    only in the single-process file: {sorted(want.keys() - got.keys())[:10]}")
    datasets = 0
    differences = []
    for name in sorted(got.keys() & want.keys()):
        g, w = got[name], want[name]
        if "bytes" in w:
            datasets += 1
            differences += [f"{name}: {field}" for field in ("dtype", "shape", "bytes", "dims")
                            if g[field] != w[field]]
        skip = VOLATILE_ROOT_ATTRIBUTES if name == "/" else set()
        keys, wanted = set(g["attributes"]) - skip, set(w["attributes"]) - skip
        if keys != wanted:
            differences.append(f"{name}: attributes {sorted(keys ^ wanted)} in one file only")
        differences += [f"{name}: attribute {key}: {g['attributes'][key]!r:.80} against "
                        f"{w['attributes'][key]!r:.80}" for key in sorted(keys & wanted)
                        if not same_attribute(g["attributes"][key], w["attributes"][key])]
    checks.check(f"{label}: {datasets} datasets and every attribute bit-identical",
                 not differences and datasets > 100,
                 f"{len(differences)} differences, {datasets} datasets; first ones:\n    " +
                 "\n    ".join(differences[:10]))


def temporaries(directory, name):
    pattern = re.compile(r"^\." + re.escape(name) + r"\.tmp-\d+$")
    return [p.name for p in pathlib.Path(directory).iterdir() if pattern.match(p.name)]


def expect_failure(label, result, code, mention, directory, name="out.h5", existed=False):
    checks.check(f"{label}: exit code {code}", result.returncode == code,
                 f"got {result.returncode}; stderr: {result.stderr.strip()[-1500:]}")
    checks.check(f"{label}: message mentions {mention!r}", mention in result.stderr,
                 f"stderr: {result.stderr.strip()[-1500:]}")
    if not existed:
        checks.check(f"{label}: no output file", not (pathlib.Path(directory) / name).exists())
    left = temporaries(directory, name)
    checks.check(f"{label}: no temporary file", not left, f"found {left}")


def compare(label, work, args, ranks_list):
    """The same run alone and under mpirun with each count of ranks: identical files."""
    alone = work / f"{label}-alone"
    alone.mkdir()
    result = run(args, alone)
    if not checks.check(f"{label}: single-process run succeeds", result.returncode == 0,
                        result.stderr[-2000:]):
        return
    for ranks in ranks_list:
        here = work / f"{label}-{ranks}-ranks"
        here.mkdir()
        result = run(args, here, ranks=ranks)
        if not checks.check(f"{label}, {ranks} ranks: succeeds", result.returncode == 0,
                            f"exit {result.returncode}; stderr: {result.stderr[-2000:]}"):
            continue
        # Only rank 0 prints: one summary, one closing line.
        checks.check(f"{label}, {ranks} ranks: one closing line",
                     result.stdout.count("wrote out.h5") == 1, result.stdout[-2000:])
        identical_files(f"{label}, {ranks} ranks", here / "out.h5", alone / "out.h5")


def unprivileged_works(work):
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        return None
    probe = subprocess.run([*UNPRIVILEGED, "test", "-x", COHORTSIM], capture_output=True)
    return UNPRIVILEGED if probe.returncode == 0 else None


def failures(work):
    (work / "small.toml").write_text(SMALL_SCENARIO)
    small = ["small.toml", "-o", "out.h5", "--quiet"]

    label = "missing output directory"
    result = run(["small.toml", "-o", "absent/out.h5", "--quiet"], work, ranks=2)
    expect_failure(label, result, 2, "does not exist", work, "absent/out.h5")
    checks.check(f"{label}: message printed once",
                 result.stderr.count("cohortsim: error:") == 1, result.stderr[-1500:])

    label = "unwritable output directory"
    prefix = unprivileged_works(work)
    if prefix is None:
        print(f"SKIP: {label}: running as root and setpriv does not work here")
    else:
        readonly = work / "readonly"
        readonly.mkdir()
        shutil.copy(work / "small.toml", readonly / "small.toml")
        readonly.chmod(0o555)
        os.chmod(work, 0o755)
        result = run(small, readonly, ranks=2, prefix=prefix)
        expect_failure(label, result, 2, "not writable", readonly)

    label = "existing output without --force"
    (work / "out.h5").write_bytes(b"precious")
    result = run(small, work, ranks=2)
    expect_failure(label, result, 2, "exists", work, existed=True)
    checks.check(f"{label}: file untouched", (work / "out.h5").read_bytes() == b"precious")
    (work / "out.h5").unlink()

    label = "invalid scenario"
    result = run([*small, "--set", "retention.alpha=-1"], work, ranks=2)
    expect_failure(label, result, 2, "retention.alpha", work)
    checks.check(f"{label}: message printed once",
                 result.stderr.count("cohortsim: error:") == 1, result.stderr[-1500:])

    for rank in (1, 0):
        label = f"fault injected on rank {rank}"
        result = run(small, work, ranks=2, extra_env={"COHORTSIM_MPI_FAIL_RANK": str(rank)})
        expect_failure(label, result, 1, f"rank {rank}: fault injected", work)

    # A one-process job behaves as a plain run, fault hook included: nothing to gather.
    label = "fault hook in a one-process job"
    result = run(small, work, ranks=1, extra_env={"COHORTSIM_MPI_FAIL_RANK": "1"})
    checks.check(f"{label}: succeeds", result.returncode == 0, result.stderr[-1500:])


def main():
    if shutil.which(MPIEXEC) is None and not os.path.exists(MPIEXEC):
        checks.check(f"mpirun found ({MPIEXEC})", False)
        checks.finish()
    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(tmp)
        os.chmod(work, 0o755)  # setpriv's unprivileged user must reach the read-only directory
        comparison = [str(SCENARIOS / "baseline.toml"), str(SCENARIOS / "save_desk.toml"),
                      "--replications", "7", "--horizon", "13", "--keep-paths", "--seed", "11",
                      "-o", "out.h5", "--quiet", "--threads", "1"]
        compare("comparison", work, comparison, (2, 3, 1))
        (work / "small.toml").write_text(SMALL_SCENARIO)
        sweep = [str(work / "small.toml"), "--sweep", "retention.alpha=0.8,1.2",
                 "--sweep", "acquisition.new_per_month=10,30", "--replications", "5",
                 "-o", "out.h5", "--quiet"]
        compare("sweep", work, sweep, (2, 7))
        failures(work)
    checks.finish()


main()
