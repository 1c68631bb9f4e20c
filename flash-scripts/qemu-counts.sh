#!/usr/bin/env bash
# Cortex-M3 instruction counts of issue 16's three board guests under QEMU
# (mps2-an385): one `run N` call minus `run 0`, as bench/run.mjs's QEMU
# table and docs/firmware.md count them, without the rest of the bench.
#
#   flash-scripts/qemu-counts.sh [build options...]   e.g. --unchecked, --device, --opt -O2
#
# Guests: bench/kernels/c/{fib,sieve,crc32}.c by clang-14 (CLANG=) with the
# bench's flags into build/bench/c-*.wasm (built when missing or older than
# the source). Prints one line per guest: name, N, instructions, wasm3's.
# Deterministic: run once. Needs build/wrt-c.wasm (`npm run build`).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
clang="${CLANG:-clang-14}"
mkdir -p "$root/build/bench"
declare -A N=([fib]=22 [sieve]=1 [crc32]=1) W3=([fib]=8.59 [sieve]=1.84 [crc32]=3.39)
for k in fib sieve crc32; do
  src="$root/bench/kernels/c/$k.c" wasm="$root/build/bench/c-$k.wasm"
  if [ ! -f "$wasm" ] || [ "$src" -nt "$wasm" ]; then
    "$clang" --target=wasm32 -O2 -fno-builtin -nostdlib -Wl,--no-entry -Wl,-z,stack-size=4096 \
      -Wl,--initial-memory=65536 -Wl,--max-memory=65536 "$src" -o "$wasm"
  fi
  count() {
    local n="$1"; shift
    "$root/flash-scripts/qemu.sh" mps2-an385 "$wasm" --invoke run "$n" --icount --timeout 300 "$@" 2>&1 |
      sed -n 's/^# instructions: //p' | tail -1
  }
  a="$(count "${N[$k]}" "$@")"; b="$(count 0 "$@")"
  [ -n "$a" ] && [ -n "$b" ] || { echo "c-$k: no count (build or run failed)" >&2; exit 3; }
  awk -v k="c-$k" -v n="${N[$k]}" -v d="$((a - b))" -v w="${W3[$k]}" \
    'BEGIN { printf "%-8s run %-3s %6.3f M   (wasm3 %s M, %.3fx)\n", k, n, d / 1e6, w, d / 1e6 / w }'
done
