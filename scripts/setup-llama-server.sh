#!/usr/bin/env bash
# Builds llama.cpp's `llama-server` (CPU, static) from the llama.cpp source that the pinned node-llama-cpp package
# ships as a git bundle, records its path in .optional/llama-server.path (where the tests look for it) and prints
# it. The build is kept in a cache keyed by the bundle's checksum, so a second call takes a second. Needs git, cmake
# and g++; run `npm run setup:gguf` first (it installs node-llama-cpp into .optional/).
#
#   LLAMA_SERVER_CACHE   where builds are kept (default: $XDG_CACHE_HOME/yardstick/llama-server or ~/.cache/…)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
package="$root/.optional/node_modules/node-llama-cpp"
bundle="$package/llama/gitRelease.bundle"
if [[ ! -f "$bundle" ]]; then
  echo "error: $bundle is missing: run 'npm run setup:gguf' first (it installs node-llama-cpp into .optional/)" >&2
  exit 2
fi
for tool in git cmake g++; do
  command -v "$tool" >/dev/null || { echo "error: $tool is not installed (apt-get install git cmake g++)" >&2; exit 2; }
done
version="$(node -p "require('$package/package.json').version")"
checksum="$(sha256sum "$bundle" | cut -c1-16)"
cache="${LLAMA_SERVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/yardstick/llama-server}"
out="$cache/node-llama-cpp-$version-$checksum"
record() {
  echo "$out/llama-server" >"$root/.optional/llama-server.path"
  echo "$out/llama-server"
}
if [[ -x "$out/llama-server" ]]; then
  record
  exit 0
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/llama-server-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
echo "building llama-server from node-llama-cpp $version's llama.cpp source (CPU; a few minutes on 2 cores)" >&2
git -c advice.detachedHead=false clone --quiet "$bundle" "$work/llama.cpp" >&2
cmake -S "$work/llama.cpp" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
  -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_CURL=OFF \
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DGGML_NATIVE=OFF >"$work/configure.log" 2>&1 \
  || { cat "$work/configure.log" >&2; exit 1; }
cmake --build "$work/build" --target llama-server -j "$(nproc)" >"$work/build.log" 2>&1 \
  || { tail -n 60 "$work/build.log" >&2; exit 1; }
mkdir -p "$out"
cp "$work/build/bin/llama-server" "$out/llama-server.partial"
git -C "$work/llama.cpp" describe --tags --always >"$out/llama-cpp-version.txt" 2>/dev/null || true
mv "$out/llama-server.partial" "$out/llama-server"
record
