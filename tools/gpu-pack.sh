#!/usr/bin/env bash
# gpu-pack: everything a GPU machine without network or Node needs to run
# `npm run bench:gpu`, packed into .carry/ (git-ignored), under 64 MiB:
#   .carry/node.xz              this machine's node binary, xz-compressed
#   .carry/app.tar.xz           bench/gpu.ts and src/ compiled to plain JavaScript (tsconfig.pack.json),
#                               shaders/, package.json and the runtime node_modules only
#                               (webgpu's Dawn for linux-x64 alone; no dev dependencies)
#   .carry/libvulkan1.deb       Debian's Vulkan loader, for a target without it
# tools/gpu-run.sh unpacks them on the target and runs the benchmark.
# Needs: npm ci done, xz, apt-get (for the .deb), a linux-x64 machine like the target.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
[ "$(uname -sm)" = "Linux x86_64" ] || { echo "gpu-pack: pack on linux x86_64 (the target's platform)" >&2; exit 1; }
command -v xz >/dev/null || { echo "gpu-pack: needs xz (Debian: xz-utils)" >&2; exit 1; }
[ -d node_modules/webgpu ] || { echo "gpu-pack: run npm ci first" >&2; exit 1; }

rm -rf .carry/build .carry/node.xz .carry/app.tar.xz .carry/libvulkan1*.deb
mkdir -p .carry/build/app

echo "gpu-pack: compiling bench/gpu.ts and src/ to JavaScript" >&2
npx tsc -p tsconfig.pack.json
cp -r shaders .carry/build/app/shaders
node -e 'const p=require("./package.json"); require("fs").writeFileSync(".carry/build/app/package.json", JSON.stringify({name:p.name,version:p.version,type:"module",private:true,dependencies:p.dependencies},null,1))'

echo "gpu-pack: runtime node_modules" >&2
# Every package the runtime dependencies need (npm's own resolution), nothing else.
npm ls --omit=dev --all --parseable | tail -n +2 | while read -r dir; do
  rel=${dir#"$root"/}
  mkdir -p ".carry/build/app/$(dirname "$rel")"
  cp -r "$rel" ".carry/build/app/$rel"
done
# Dawn ships a binary per platform; the target is linux-x64. Its build scripts are not needed to run.
find .carry/build/app/node_modules/webgpu/dist -mindepth 1 -maxdepth 1 ! -name linux-x64 -exec rm -rf {} +
rm -rf .carry/build/app/node_modules/webgpu/build

echo "gpu-pack: compressing" >&2
tar -C .carry/build -cf - app | xz -6 -T0 > .carry/app.tar.xz
xz -6 -T0 -c "$(command -v node)" > .carry/node.xz
if ! (cd .carry && apt-get download libvulkan1 >/dev/null 2>&1); then
  echo "gpu-pack: apt-get download libvulkan1 failed (no network?); packing without the Vulkan loader" >&2
fi
rm -rf .carry/build
total=$(du -cb .carry/node.xz .carry/app.tar.xz .carry/libvulkan1*.deb 2>/dev/null | tail -1 | cut -f1)
ls -l .carry >&2
echo "gpu-pack: $((total / 1024 / 1024)) MiB in .carry/ (node $(node --version))" >&2
[ "$total" -le $((64 * 1024 * 1024)) ] || { echo "gpu-pack: over 64 MiB" >&2; exit 1; }
