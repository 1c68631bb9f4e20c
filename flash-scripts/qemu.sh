#!/usr/bin/env bash
# Builds a firmware with one guest and runs it under QEMU (docs/firmware.md).
#
#   flash-scripts/qemu.sh <board> <guest.wasm> [--invoke NAME [args...]] [--fuel N]
#                         [--slice N] [--arena PAGES] [--opt -Os|-O2] [--stats]
#                         [--checked|--unchecked] [--out FILE.elf] [--timeout SECONDS] [--build-only]
#                         [--snapshot-in FILE] [--snapshot-out FILE]
#
# boards: mps2-an385 (Cortex-M3), qemu-virt-rv32 (rv32imac). Build options:
# flash-scripts/build.sh. Prints the UART (TYPE:VALUE result lines,
# "trap: ...", "out of fuel", "error: ...") and exits with the guest's
# status: 0 ok, 1 trap, 2 out of fuel, 3 error (also: build failure, QEMU
# timeout; default bound 60 s).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
die() { echo "error: $*" >&2; exit 3; }
[ $# -ge 2 ] || { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 3; }

board="$1"; guest="$2"; shift 2
tmo=60; build_only=0; icount=0; pass=()
while [ $# -gt 0 ]; do
  case "$1" in
    --timeout) tmo="${2:?}"; shift 2 ;;
    --build-only) build_only=1; shift ;;
    --icount) icount=1; pass+=("$1"); shift ;;
    *) pass+=("$1"); shift ;;
  esac
done
[[ "$tmo" =~ ^[0-9]+$ ]] || die "--timeout needs seconds"
[ -f "$root/boards/$board/board.env" ] || die "unknown board $board (see boards/)"
# shellcheck source=/dev/null
. "$root/boards/$board/board.env"
[ -n "${QEMU:-}" ] || die "$board is not a QEMU board: use flash-scripts/build.sh"
command -v "${QEMU%% *}" >/dev/null || die "${QEMU%% *} not found (Debian packages: $APT)"

elf="$("$root/flash-scripts/build.sh" "$board" "$guest" ${pass[@]+"${pass[@]}"})" || exit 3
if [ "$build_only" = 1 ]; then echo "$elf"; exit 0; fi

set +e
# shellcheck disable=SC2086
if [ "$icount" = 1 ]; then QEMU="${QEMU/ -kernel/ -icount shift=0 -kernel}"; fi
timeout --kill-after=5 "$tmo" $QEMU "$elf" </dev/null
status=$?
set -e
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
  echo "error: QEMU timed out after $tmo s"
  exit 3
fi
exit "$status"
