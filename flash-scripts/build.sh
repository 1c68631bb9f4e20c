#!/usr/bin/env bash
# Builds a firmware: the interpreter (wasm2c translation) + host-shims/c +
# boards/<board> + one guest embedded from a .wasm file (docs/firmware.md).
#
#   flash-scripts/build.sh <board> <guest.wasm> [--invoke NAME [args...]] [--fuel N]
#                          [--slice N] [--arena PAGES] [--opt -Os|-O2] [--stats]
#                          [--checked|--unchecked] [--max-pages N] [--then NAME] [--out FILE.elf]
#                          [--snapshot-in FILE] [--snapshot-out FILE] [--device] [--device-features simd]
#
# Prints the ELF's path; writes FILE.hex next to it (and FILE.uf2 for boards
# with a UF2 family, e.g. rp2040-pico). Exit 3 on any failure.
#
#   --invoke     export to call at start, with integer arguments
#   --fuel N     total fuel (default unlimited); --slice N fuel per wrt_run,
#                resuming until done
#   --arena P    interpreter arena in 64 KiB pages (default: the board's
#                ARENA_DEFAULT; the interpreter now needs 29, docs/firmware.md)
#   --stats      also print '#' lines: slices, C stack high-water, arena use
#   --icount     print "# instructions: N" for the guest call (qemu.sh runs
#                QEMU with -icount shift=0 then)
#   --snapshot-in FILE   QEMU boards: instead of --invoke, continue the call
#                in progress of a snapshot container (`wrt run/resume
#                --snapshot-out`), read from FILE at run time (semihosting)
#   --snapshot-out FILE  QEMU boards: when the call runs out of fuel, write
#                the container for `wrt resume` to FILE (semihosting)
#   (default)    the interpreter's own memory accesses are masked into its
#                arena (one AND each: an interpreter bug cannot read or write
#                outside the arena; a stray access wraps inside it instead of
#                faulting). The arena is reserved as a power of two of pages
#   --checked    wasm2c's bounds check (compare and branch) on each of them
#                instead: a stray access is a clean fault, at 3-7x the
#                instructions and about 40% more code
#   --unchecked  neither (the guarantee then rests on the interpreter being
#                correct); docs/firmware.md compares the three
#   --max-pages N  guest memories may hold N pages together (memory.grow
#                past it returns -1 instead of exhausting the arena)
#   --then NAME  after the --invoke call returned: call export NAME (no
#                arguments) and print its results too
#   --device     the device build of the interpreter (build/wrt-device.wasm:
#                no validator or compiler, about half the flash). The guest
#                is embedded as a precompiled image (`wrt compile`, done here
#                when GUEST is a .wasm); docs/image-format.md
#   --device-features simd  the device build with SIMD and relaxed SIMD
#                (build/wrt-device-simd.wasm; implies --device). Without it
#                the device build refuses a guest that uses v128, naming
#                SIMD; docs/footprint.md has both builds' sizes
#   --test-smash-guard  tests only: overwrite a byte next to the arena before
#                exiting (the firmware must then report it and exit 3)
#   --test-scribble  tests only: after the --invoke call, overwrite the
#                interpreter's whole memory with wild pointers, then make the
#                --then call (an interpreter bug's stand-in: boards/common/firmware.c)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

die() { echo "error: $*" >&2; exit 3; }
usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0" | sed 's/^# \{0,1\}//' >&2; exit 3; }

[ $# -ge 2 ] || usage
board="$1"; guest="$2"; shift 2
orig_args=("$@")
unchecked=0; checked=0; invoke=""; then=""; max_pages=""; smash=0; scribble=0; args=(); fuel=-1; slice=0; arena=""; opt=-Os; stats=0; icount=0; out_elf=""
snap_in=""; snap_out=""; device=0; device_features=""
while [ $# -gt 0 ]; do
  case "$1" in
    --snapshot-in) snap_in="${2:?}"; shift 2 ;;
    --snapshot-out) snap_out="${2:?}"; shift 2 ;;
    --invoke) [ $# -ge 2 ] || usage; invoke="$2"; shift 2
              while [ $# -gt 0 ] && ! [[ "$1" =~ ^--[a-z] ]]; do args+=("$1"); shift; done ;;
    --fuel) fuel="${2:?}"; shift 2 ;;
    --slice) slice="${2:?}"; shift 2 ;;
    --arena) arena="${2:?}"; shift 2 ;;
    --opt) opt="${2:?}"; shift 2 ;;
    --stats) stats=1; shift ;;
    --icount) icount=1; shift ;;
    --unchecked) unchecked=1; shift ;;
    --checked) checked=1; shift ;;
    --max-pages) max_pages="${2:?}"; shift 2 ;;
    --then) then="${2:?}"; shift 2 ;;
    --test-smash-guard) smash=1; shift ;;
    --test-scribble) scribble=1; shift ;;
    --device) device=1; shift ;;
    --device-features) device_features="${2:?}"; device=1; shift 2
                       [ "$device_features" = simd ] || die "--device-features takes simd" ;;
    --out) out_elf="${2:?}"; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
[ -f "$root/boards/$board/board.env" ] || die "unknown board $board (see boards/)"
# shellcheck source=/dev/null
. "$root/boards/$board/board.env"
arena="${arena:-$ARENA_DEFAULT}"
[[ "$fuel" =~ ^-?[0-9]+$ && "$slice" =~ ^[0-9]+$ && "$arena" =~ ^[0-9]+$ && "$max_pages" =~ ^[0-9]*$ ]] ||
  die "numbers expected for --fuel/--slice/--arena/--max-pages"
[[ "$opt" =~ ^-O[0-3sz]$ ]] || die "--opt takes -Os, -O2, ..."
[ -f "$guest" ] || die "no such guest file $guest"
guest="$(cd "$(dirname "$guest")" && pwd)/$(basename "$guest")"
wasi=0; grep -q wasi_snapshot_preview1 "$guest" && wasi=1
if [ -n "$snap_in$snap_out" ]; then # host files by semihosting: absolute paths (QEMU's working directory may differ)
  [ -n "${QEMU:-}" ] || die "--snapshot-in/--snapshot-out need semihosting: QEMU boards only"
  [ -z "$snap_in" ] || [ -z "$invoke" ] || die "--snapshot-in continues a call: no --invoke"
  if [ -n "$snap_in" ]; then [ -f "$snap_in" ] || die "no such snapshot file $snap_in"; snap_in="$(cd "$(dirname "$snap_in")" && pwd)/$(basename "$snap_in")"; fi
  if [ -n "$snap_out" ]; then snap_out="$(cd "$(dirname "$snap_out")" && pwd)/$(basename "$snap_out")" || die "no directory for $snap_out"; fi
fi
[ "$checked$unchecked" != 11 ] || die "--checked and --unchecked exclude each other"
command -v "$CC" >/dev/null || die "$CC not found (Debian packages: $APT)"

# 1. The C translation of the interpreter (full or device build).
if [ "$device_features" = simd ]; then
  cdir="$root/build/c-device-simd"; wasm="$root/build/wrt-device-simd.wasm"
elif [ "$device" = 1 ]; then
  cdir="$root/build/c-device"; wasm="$root/build/wrt-device.wasm"
else
  cdir="$root/build/c"; wasm="$root/build/wrt-c.wasm"  # build/wrt.wasm without V8's successor checks
fi
[ -f "$wasm" ] || die "${wasm#"$root"/} is missing: run \`npm run build\` first"
# (also when it predates the WRT_MEM_PTR edit the masked build relies on)
if [ ! -f "$cdir/wrt.c" ] || [ "$wasm" -nt "$cdir/wrt.c" ] || ! grep -q "WRT_MEM_PTR(mem, addr)" "$cdir/wrt.c"; then
  node "$root/scripts/build-c.mjs" --wasm "$wasm" --out "$cdir" >&2 || die "scripts/build-c.mjs failed"
fi

# 2. Interpreter objects, cached per board, optimization level and variant.
obj="$root/build/boards/$board/${opt#-}"
[ "$device" = 0 ] || obj="$obj-device"
[ -z "$device_features" ] || obj="$obj-$device_features"
# No wasm2c bounds checks (unchecked, masked): WASM_RT_MEMCHECK_SIGNAL_HANDLER=1
# with no signals; WRT_UNCHECKED_MEMORY makes wrt.c use plain setjmp then.
MEMCHECK=()
CORE_FLAGS=()
if [ "$unchecked" = 1 ]; then
  obj="$obj-unchecked"
  MEMCHECK=(-DWASM_RT_MEMCHECK_SIGNAL_HANDLER=1 -DWASM_RT_SKIP_SIGNAL_RECOVERY=1 -DWRT_UNCHECKED_MEMORY=1)
elif [ "$checked" = 1 ]; then
  obj="$obj-checked"
else
  MEMCHECK=(-DWASM_RT_MEMCHECK_SIGNAL_HANDLER=1 -DWASM_RT_SKIP_SIGNAL_RECOVERY=1 -DWRT_UNCHECKED_MEMORY=1 -DWRT_MASKED_MEMORY=1)
  CORE_FLAGS=(-include "$root/host-shims/c/wrt_masked.h")
fi
# The full build's dispatch loop: threaded, and at -O2 when the rest is at
# -Os (host-shims/c/wrt_board_loop.h says why). The device build's
# translation has no dense switch to thread.
if [ "$device" = 0 ]; then
  CORE_FLAGS+=(-DWRT_THREADED_DISPATCH=1)
  if [ "$opt" = -Os ] || [ "$opt" = -Oz ]; then CORE_FLAGS+=(-include "$root/host-shims/c/wrt_board_loop.h"); fi
fi
mkdir -p "$obj"
# shellcheck disable=SC2206
CFLAGS=(-std=gnu11 "$opt" -g -DNDEBUG -ffunction-sections -fdata-sections -fno-common $ARCH_CFLAGS $LIBC_FLAGS
        ${MEMCHECK[@]+"${MEMCHECK[@]}"} -DWRT_DEVICE="$device" -I"$root/host-shims/c" -I"$cdir" -I"$root/boards/common")
# Headers every object depends on: the generated one (the instance struct's
# layout changes with the interpreter's globals), the API, the wasm-rt.
deps_id="$(cat "$cdir/wrt.h" "$cdir/wasm-rt.h" "$root/host-shims/c/wrt.h" "$root/host-shims/c/wrt_masked.h" "$root/host-shims/c/wrt_board_loop.h" | sha256sum | cut -c1-16)"
compile() { # src obj extra-flags...
  local src="$1" o="$2"; shift 2
  local stamp="$o.flags" flags="${CFLAGS[*]} $* deps:$deps_id"
  if [ ! -f "$o" ] || [ "$src" -nt "$o" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$flags" ]; then
    "$CC" "${CFLAGS[@]}" "$@" -c "$src" -o "$o.tmp$$" || die "compiling $src failed"
    mv "$o.tmp$$" "$o"
    echo "$flags" > "$stamp"
  fi
}
# The full build on Thumb-2 (Cortex-M3/M4): the loop's dispatch rewritten in
# gcc's assembly, one `ldr pc` per op (flash-scripts/thumb-dispatch.mjs).
# Not on the M0+ (Thumb-1 has no ldr pc) nor RISC-V.
thumb2=0
if [ "$device" = 0 ]; then
  case "$("$CC" $ARCH_CFLAGS -dM -E -x c - </dev/null 2>/dev/null)" in *__thumb2__*) thumb2=1 ;; esac
fi
if [ "$thumb2" = 1 ]; then
  src="$cdir/wrt.c" o="$obj/wrt_core.o"
  flags="${CFLAGS[*]} -w ${CORE_FLAGS[*]} thumb-dispatch:$(sha256sum < "$root/flash-scripts/thumb-dispatch.mjs" | cut -c1-16) deps:$deps_id"
  if [ ! -f "$o" ] || [ "$src" -nt "$o" ] || [ "$(cat "$o.flags" 2>/dev/null)" != "$flags" ]; then
    "$CC" "${CFLAGS[@]}" -w "${CORE_FLAGS[@]}" -S "$src" -o "$o.tmp$$.s" || die "compiling $src failed"
    node "$root/flash-scripts/thumb-dispatch.mjs" "$o.tmp$$.s" "$o.tmp$$.t.s" || die "the dispatch rewrite of $src failed"
    "$CC" "${CFLAGS[@]}" -c "$o.tmp$$.t.s" -o "$o.tmp$$" || die "assembling $src failed"
    rm -f "$o.tmp$$.s" "$o.tmp$$.t.s"
    mv "$o.tmp$$" "$o"
    echo "$flags" > "$o.flags"
  fi
else
  compile "$cdir/wrt.c" "$obj/wrt_core.o" -w ${CORE_FLAGS[@]+"${CORE_FLAGS[@]}"}
fi
compile "$root/host-shims/c/wrt.c" "$obj/wrt_api.o" -Wall -Wextra
reserved=1; while [ "$reserved" -lt "$arena" ]; do reserved=$((reserved * 2)); done # masked: a power of two
compile "$root/host-shims/c/wrt_rt_bare.c" "$obj/wrt_rt_bare_$arena.o" -Wall -Wextra -DWRT_ARENA_PAGES="$arena" -DWRT_RESERVED_PAGES="$reserved"

# 3. The guest and its configuration.
key="$(printf '%s\n' "$guest" "device:$device" "$invoke" "${args[@]+"${args[@]}"}" "$fuel" "$slice" "$stats" "$arena" "$icount" "then:$then" "max:$max_pages" "smash:$smash" "scribble:$scribble" | sha256sum | cut -c1-12)"
[ -z "$snap_in$snap_out" ] || key="$(printf '%s\n' "$key" "in:$snap_in" "out:$snap_out" | sha256sum | cut -c1-12)"
work="$obj/run-$key"
mkdir -p "$work"
cstr() { local s="${1//\\/\\\\}"; printf '"%s"' "${s//\"/\\\"}"; }
{
  echo "/* Generated by flash-scripts/build.sh */"
  if [ -n "$invoke" ]; then
    echo "#define WRT_INVOKE $(cstr "$invoke")"
    printf '#define WRT_ARGS {'
    for a in "${args[@]+"${args[@]}"}"; do printf '%s, ' "$(cstr "$a")"; done
    echo 'NULL}'
  fi
  if [ -n "$then" ]; then echo "#define WRT_THEN $(cstr "$then")"; fi
  if [ -n "$max_pages" ]; then echo "#define WRT_MAX_PAGES $max_pages"; fi
  echo "#define WRT_TEST_SMASH_GUARD $smash"
  echo "#define WRT_TEST_SCRIBBLE $scribble"
  echo "#define WRT_FUEL ($fuel)"
  echo "#define WRT_SLICE $slice"
  echo "#define WRT_STATS $stats"
  echo "#define WRT_ICOUNT $icount"
  echo "#define WRT_WASI $wasi"
  if [ -n "$snap_in" ]; then echo "#define WRT_SNAPSHOT_IN $(cstr "$snap_in")"; fi
  if [ -n "$snap_out" ]; then echo "#define WRT_SNAPSHOT_OUT $(cstr "$snap_out")"; fi
} > "$work/guest_cfg.h"
embed="$guest"
if [ "$device" = 1 ] && [ "$(head -c 4 "$guest" | od -An -tx1 | tr -d " \n")" != "57525449" ]; then
  embed="$work/guest.wrti"
  node "$root/host-shims/node/dist/cli.js" compile "$guest" -o "$embed" >&2 || die "wrt compile $guest failed"
fi
cat > "$work/guest.S" <<ASM
  .section .rodata.guest, "a"
  .global guest_wasm, guest_wasm_end
  .balign 4
guest_wasm:
  .incbin "$embed"
guest_wasm_end:
ASM

# 4. Link: the board's sources (*.c, *.S), shared ones from EXTRA_SRCS.
srcs=()
for f in "$root/boards/$board"/*.c "$root/boards/$board"/*.S; do
  [ -f "$f" ] && [ "$(basename "$f")" != "${BOOT2:-}" ] && srcs+=("$f")
done
if [ -n "${BOOT2:-}" ]; then # RP2040: boot2 assembled alone, CRC32 appended
  "$CC" "${CFLAGS[@]}" -c "$root/boards/$board/$BOOT2" -o "$work/boot2.o" || die "assembling boot2 failed"
  "${CC%gcc}objcopy" -O binary -j .boot2 "$work/boot2.o" "$work/boot2.bin" || die "objcopy boot2 failed"
  node "$root/flash-scripts/uf2.mjs" boot2 "$work/boot2.bin" "$work/boot2_crc.S" || die "boot2 CRC failed"
  srcs+=("$work/boot2_crc.S")
fi
for f in ${EXTRA_SRCS:-}; do srcs+=("$root/boards/$f"); done
# a WASI guest (it imports wasi_snapshot_preview1): the C host's WASI subset (host-shims/c/wasi.h)
if [ "$wasi" = 1 ]; then srcs+=("$root/host-shims/c/wasi.c"); fi
elf="${out_elf:-$work/firmware.elf}"
# shellcheck disable=SC2086
"$CC" "${CFLAGS[@]}" -Wall -Wextra -I"$work" -I"$root/boards/$board" -nostartfiles -Wl,--gc-sections \
  -T"$root/boards/$board/link.ld" "${srcs[@]}" "$root/boards/common/firmware.c" "$work/guest.S" \
  "$obj/wrt_core.o" "$obj/wrt_api.o" "$obj/wrt_rt_bare_$arena.o" ${LDFLAGS:-} $LIBS -o "$elf" || die "linking failed"
"${CC%gcc}objcopy" -O ihex "$elf" "${elf%.elf}.hex" || die "objcopy failed"
# build/c may have been re-translated meanwhile (another build of
# build/wrt-c.wasm): objects from two translations do not fit together.
now_id="$(cat "$cdir/wrt.h" "$cdir/wasm-rt.h" "$root/host-shims/c/wrt.h" "$root/host-shims/c/wrt_masked.h" "$root/host-shims/c/wrt_board_loop.h" | sha256sum | cut -c1-16)"
if [ "$now_id" != "$deps_id" ]; then
  [ "${WRT_BUILD_RETRY:-0}" -lt 3 ] || die "build/c keeps changing during the build"
  echo "build.sh: build/c changed during the build; building again" >&2
  WRT_BUILD_RETRY=$((${WRT_BUILD_RETRY:-0} + 1)) exec "$0" "$board" "$guest" "${orig_args[@]}"
fi
if [ -n "${UF2_FAMILY:-}" ]; then
  node "$root/flash-scripts/uf2.mjs" "${elf%.elf}.hex" "${elf%.elf}.uf2" "$UF2_FAMILY" >&2 || die "uf2 conversion failed"
fi
echo "$elf"
