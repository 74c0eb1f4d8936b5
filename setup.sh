#!/usr/bin/env bash
# Installs the Debian packages cohortsim needs (only those missing), builds it, then either runs
# the bundled strategy comparison or the whole test suite.
#
#   ./setup.sh run [cohortsim run options...]   build, then run the bundled comparison
#   ./setup.sh test                            build, then run every test (ctest)
#   ./setup.sh build                           install what is missing and build only
#
# Environment: BUILD_DIR (default: build), JOBS (default: all cores).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build_dir="${BUILD_DIR:-$here/build}"
jobs="${JOBS:-$(nproc)}"

# Every Debian package the build, the tests and the notebooks use.
packages=(
  build-essential cmake pkg-config git
  libboost-random-dev libboost-program-options-dev libboost-math-dev
  libhdf5-dev libtbb-dev doctest-dev libtomlplusplus-dev
  python3-h5py python3-numpy python3-pandas python3-matplotlib python3-xarray
  python3-h5netcdf python3-nbconvert python3-ipykernel
  # libFuzzer for the fuzzers that CI runs (tests/ci_stages.sh fuzz); GCC has no libFuzzer.
  clang libclang-rt-14-dev
  # /usr/bin/time, for peak memory in tests/benchmark.py.
  time
  # MPI: the build below is MPI-enabled (README, "Running on a cluster (MPI)").
  libopenmpi-dev openmpi-bin
)

install_missing_packages() {
  local missing=()
  for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$package")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return
  fi
  echo "setup: installing ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then
      sudo=(sudo)
    else
      echo "setup: these packages are missing and you are not root: ${missing[*]}" >&2
      exit 1
    fi
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    "${missing[@]}"
}

build() {
  cmake -S "$here" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DCOHORTSIM_MPI=ON >/dev/null
  cmake --build "$build_dir" -j "$jobs"
}

command="${1:-build}"
shift || true
case "$command" in
  build)
    install_missing_packages
    build
    ;;
  run)
    install_missing_packages
    build
    "$build_dir/cohortsim" run --force "$@"
    ;;
  test)
    install_missing_packages
    build
    ctest --test-dir "$build_dir" --output-on-failure -j "$jobs"
    ;;
  *)
    echo "usage: ./setup.sh run|test|build" >&2
    exit 2
    ;;
esac
