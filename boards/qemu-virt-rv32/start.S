/* QEMU virt, rv32imac, -bios none: execution starts at 0x80000000. */
  .section .text.start, "ax"
  .global _start
_start:
  .option push
  .option norelax
  la gp, __global_pointer$
  .option pop
  la sp, __stack_top
  la t0, trap_entry
  .insn i 0x73, 1, x0, t0, 0x305   /* csrw mtvec, t0 (no zicsr in the multilib -march) */
  call reset_handler
1: j 1b

  .balign 4
trap_entry:
  la sp, __stack_top
  call fault_handler
2: j 2b
