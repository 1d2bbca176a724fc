#!/usr/bin/env bash
# Installs the Debian packages Attention by Hand needs, only those missing.
# Idempotent: a second run installs nothing and touches no network.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config python3-glad
  libimgui-dev libglfw3-dev libeigen3-dev libopenblas-openmp-dev libstb-dev
  nlohmann-json3-dev libcli11-dev libfmt-dev libcairo2-dev
  libgtest-dev googletest libbenchmark-dev
  fonts-dejavu-core
  xvfb xauth libgl1-mesa-dri
  poppler-utils libxml2-utils
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
