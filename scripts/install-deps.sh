#!/usr/bin/env bash
# Installs everything needed to build and test Watchword on Debian 12.
# Idempotent and fast when all packages are present: it asks dpkg first and
# runs apt-get (as root, or through sudo) only for what is missing.
set -euo pipefail

packages=(
  cmake ninja-build g++ clang-14 pkg-config ccache
  libre2-dev libprotobuf-dev protobuf-compiler libabsl-dev libicu-dev
  libsimdjson-dev libcli11-dev
  libgrpc++-dev protobuf-compiler-grpc libcivetweb-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  pybind11-dev python3-dev python3-protobuf python3-pytest
  # The sdist test (python3 -m build, a venv, pip) and the analyst notebook.
  python3-build python3-venv python3-pip python3-pandas python3-matplotlib
)
# Hyperscan is x86-only; Vectorscan is its portable fork with the same API.
if [[ "$(dpkg --print-architecture)" == "amd64" ]]; then
  packages+=(libhyperscan-dev)
else
  packages+=(libvectorscan-dev)
fi

missing=()
for package in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${db:Status-Status}' "${package}" 2>/dev/null || true)"
  if [[ "${status}" != "installed" ]]; then
    missing+=("${package}")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo_cmd=()
if [[ "$(id -u)" -ne 0 ]]; then
  sudo_cmd=(sudo)
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
