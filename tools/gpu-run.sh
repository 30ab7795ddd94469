#!/usr/bin/env bash
# gpu-run: on a GPU machine without network or Node, unpack what tools/gpu-pack.sh
# put in .carry/ and run the GPU benchmarks (bench/gpu.ts); arguments go to it
# (e.g. --max-log 18, --quick). Writes bench/out/gpu.json here, and a copy into
# $OUT when that names a directory.
# Needs on the target: bash, tar, xz (or python3), and a Vulkan driver for its GPU.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
carry=$root/.carry
[ -f "$carry/node.xz" ] && [ -f "$carry/app.tar.xz" ] || { echo "gpu-run: $carry/node.xz and app.tar.xz are missing: run tools/gpu-pack.sh first" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

unxz_to() { # FILE.xz -> stdout
  if command -v xz >/dev/null; then xz -dc "$1"
  elif command -v python3 >/dev/null; then python3 -c 'import lzma,sys; sys.stdout.buffer.write(lzma.open(sys.argv[1]).read())' "$1"
  else echo "gpu-run: needs xz or python3 to unpack" >&2; exit 1; fi
}
unxz_to "$carry/node.xz" > "$work/node"
chmod +x "$work/node"
unxz_to "$carry/app.tar.xz" | tar -C "$work" -xf -

# The Vulkan loader, from the packed .deb when the system has none.
if ! { ldconfig -p 2>/dev/null || true; } | grep -q 'libvulkan.so.1'; then
  deb=$(ls "$carry"/libvulkan1*.deb 2>/dev/null | head -1 || true)
  [ -n "$deb" ] || { echo "gpu-run: no libvulkan.so.1 on this machine and none packed" >&2; exit 1; }
  mkdir -p "$work/vulkan"
  if command -v dpkg-deb >/dev/null; then dpkg-deb -x "$deb" "$work/vulkan"
  else (cd "$work/vulkan" && ar x "$deb" && tar -xf data.tar.*); fi
  export LD_LIBRARY_PATH="$work/vulkan/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
# NVIDIA's driver may be installed without its Vulkan ICD manifest (containers): point the loader at it.
if [ -z "${VK_ICD_FILENAMES:-}" ] && ls /dev/nvidia0 >/dev/null 2>&1 \
  && ! ls /usr/share/vulkan/icd.d/nvidia* /etc/vulkan/icd.d/nvidia* >/dev/null 2>&1 \
  && { ldconfig -p 2>/dev/null || true; } | grep -q 'libGLX_nvidia.so.0'; then
  printf '{"file_format_version":"1.0.0","ICD":{"library_path":"libGLX_nvidia.so.0","api_version":"1.3.0"}}\n' > "$work/nvidia_icd.json"
  export VK_ICD_FILENAMES="$work/nvidia_icd.json"
  echo "gpu-run: using NVIDIA's driver through $VK_ICD_FILENAMES" >&2
fi

mkdir -p "$root/bench/out"
echo "gpu-run: node $("$work/node" --version), running bench/gpu.js $*" >&2
status=0
"$work/node" "$work/app/bench/gpu.js" --out "$root/bench/out/gpu.json" "$@" || status=$?
if [ -n "${OUT:-}" ] && [ -d "$OUT" ] && [ -f "$root/bench/out/gpu.json" ]; then cp "$root/bench/out/gpu.json" "$OUT/"; fi
exit $status
