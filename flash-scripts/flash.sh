#!/usr/bin/env bash
# Builds a firmware for a real board and flashes it (docs/firmware.md).
#
#   flash-scripts/flash.sh <board> <guest.wasm> [build options] [--alt] [--dry-run]
#
# boards: nrf52840-dk (nrfjprog; --alt: openocd + J-Link),
#         stm32f429-nucleo (openocd + on-board ST-LINK; --alt: st-flash),
#         rp2040-pico (picotool; --alt: copy the UF2 to the RPI-RP2 drive).
# Build options as flash-scripts/build.sh. --dry-run prints the command.
# Output then arrives on the board's UART at 115200 8N1 (see boards/<board>/board.c),
# ending with "exit: N" (N: 0 ok, 1 trap, 2 out of fuel, 3 error).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
die() { echo "error: $*" >&2; exit 3; }
[ $# -ge 2 ] || { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 3; }
board="$1"; guest="$2"; shift 2
alt=0; dry=0; pass=()
while [ $# -gt 0 ]; do
  case "$1" in
    --alt) alt=1; shift ;;
    --dry-run) dry=1; shift ;;
    *) pass+=("$1"); shift ;;
  esac
done
[ -f "$root/boards/$board/board.env" ] || die "unknown board $board (see boards/)"
# shellcheck source=/dev/null
. "$root/boards/$board/board.env"
[ -n "${FLASH_CMD:-}" ] || die "$board has no flashing command (a QEMU board: use flash-scripts/qemu.sh)"
ELF="$("$root/flash-scripts/build.sh" "$board" "$guest" ${pass[@]+"${pass[@]}"})" || exit 3
HEX="${ELF%.elf}.hex"
UF2="${ELF%.elf}.uf2"
export ELF HEX UF2
cmd="$FLASH_CMD"
[ "$alt" = 1 ] && cmd="$FLASH_ALT"
cmd="$(eval "echo \"${cmd//\"/\\\"}\"")"
echo "$cmd"
[ "$dry" = 1 ] && exit 0
command -v "${cmd%% *}" >/dev/null || die "${cmd%% *} not found"
eval "$cmd"
