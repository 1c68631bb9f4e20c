/*
 * RP2040 second-stage boot (the first 256 bytes of flash, copied by the
 * bootrom to SRAM 0x20041F00 and run there after a CRC32 check; the build
 * appends the CRC: flash-scripts/uf2.mjs boot2). Written for this project
 * from the RP2040 datasheet (bootrom function table, section 2.8.3): it lets
 * the bootrom's own routines set up execute-in-place with the slow but
 * universal 03h read command, then enters the vector table at 0x10000100.
 * Position independent: literals are PC-relative.
 */
  .syntax unified
  .cpu cortex-m0plus
  .thumb
  .section .boot2, "ax"
  .global boot2_entry
  .thumb_func
boot2_entry:
  movs r7, #0x14
  ldrh r6, [r7]          /* r6: the ROM function table (u16 pointer at 0x14) */
  ldrh r5, [r7, #4]      /* r5: rom_table_lookup (u16 pointer at 0x18) */
  adr r4, codes
1:
  ldrh r1, [r4]
  cmp r1, #0
  beq 2f
  mov r0, r6
  blx r5                 /* r0 = rom_table_lookup(table, code) */
  blx r0                 /* call it (no arguments) */
  adds r4, #2
  b 1b
2:
  ldr r0, =0x10000100    /* the application's vector table */
  ldr r1, =0xE000ED08    /* VTOR */
  str r0, [r1]
  ldmia r0!, {r1, r2}    /* initial SP, reset handler */
  msr msp, r1
  bx r2

  .balign 4
codes:                   /* ROM_TABLE_CODE(c1, c2) = c1 | c2 << 8 */
  .hword 'I' | 'F' << 8  /* connect_internal_flash */
  .hword 'E' | 'X' << 8  /* flash_exit_xip */
  .hword 'F' | 'C' << 8  /* flash_flush_cache */
  .hword 'C' | 'X' << 8  /* flash_enter_cmd_xip */
  .hword 0
  .balign 4
  .ltorg
