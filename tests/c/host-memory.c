/* The interpreter's own memory stays below the wasm2c runtime's limit
 * (issue 18 part 6): the runtime computes byte sizes in 32 bits, so growing
 * to 65,536 pages wrapped the size to 0. Linked with the native build's
 * objects by tests/node/host-memory.test.mjs; prints "ok" or what failed. */
#include <stdio.h>
#include <stdint.h>
#include "wrt.h"
#include "wasm-rt.h"

#define CHECK(c) do { if (!(c)) { printf("FAILED: %s (line %d)\n", #c, __LINE__); return 1; } } while (0)

int main(void) {
  CHECK(wrt_open() == 0);
  /* the runtime's maximum, as the host leaves it, is below 65,536 */
  CHECK(wrt_mem_max_pages() == WRT_RT_MAX_PAGES);
  /* the interpreter's ceiling follows it: asking for more is refused */
  CHECK(wrt_config(WRT_CFG_HOST_MEMORY_PAGES, 65536) < 0);
  CHECK(wrt_config(WRT_CFG_HOST_MEMORY_PAGES, (int64_t)1 << 32) < 0);
  CHECK(wrt_config(WRT_CFG_HOST_MEMORY_PAGES, WRT_RT_MAX_PAGES) == 0);
  /* the runtime itself refuses to grow past it: up to the last page works
   * (address space only: the runtime reserves it), one more is refused and
   * the size never wraps */
  wasm_rt_memory_t m;
  wasm_rt_allocate_memory(&m, 1, 65536);
  m.max_pages = WRT_RT_MAX_PAGES < m.max_pages ? WRT_RT_MAX_PAGES : m.max_pages; /* as wrt_open does */
  CHECK(wasm_rt_grow_memory(&m, WRT_RT_MAX_PAGES - 1) == 1);
  CHECK(m.pages == WRT_RT_MAX_PAGES && m.size == (uint32_t)WRT_RT_MAX_PAGES * 65536u);
  CHECK(wasm_rt_grow_memory(&m, 1) == (uint32_t)-1);
  CHECK(m.pages == WRT_RT_MAX_PAGES && m.size != 0);
  wasm_rt_free_memory(&m);
  wrt_close();
  printf("ok\n");
  return 0;
}
