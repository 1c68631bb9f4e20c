/*
 * wrt_rt_bare.c: a bare-metal wasm-rt for the wasm2c translation of the
 * interpreter (replaces wasm-rt-impl.c on microcontrollers).
 *
 * - Linear memory: one static arena of WRT_ARENA_PAGES whole 64 KiB pages,
 *   sized at build time (-DWRT_ARENA_PAGES=N), in section .wrt_arena (the
 *   linker script may place it NOLOAD: pages are zeroed when handed out).
 *   memory.grow beyond it fails (-1): the interpreter then aborts with its
 *   own "out of memory" and wrt.c reports the arena as the cause.
 * - Traps: longjmp to wasm_rt_jmp_buf (set by wasm_rt_impl_try in wrt.c).
 * - Function types: a static registry (the interpreter registers ~20).
 * - Tables: one static funcref table of WRT_FUNCREF_TABLE_MAX entries (the
 *   interpreter's indirect calls); externref tables and exceptions are not
 *   used by the interpreter and trap if they ever are.
 * - No malloc, mmap, signals or stdio.
 *
 * Memory layout (one instance of the interpreter, one memory):
 *
 *   wrt_arena: [ guard | page 0 | page 1 | ... | page N-1 | guard ]
 *                        ^ memory->data   memory->size = pages * 64 KiB
 *
 * The guards (16 bytes each, in the same section, so they are the first
 * bytes an overrun either way would hit) get a known pattern when the
 * memory is first allocated; wrt_rt_arena_intact() checks it (the firmware does
 * at every exit). Nothing should ever write them: memory->size never
 * exceeds the arena (wasm_rt_grow_memory), and every access of the
 * interpreter is either masked into the arena (WRT_MASKED_MEMORY=1, the
 * default: wrt_masked.h; the page array is then reserved as a power of two
 * of bytes, at least WRT_ARENA_PAGES pages), or bounds-checked against
 * memory->size by the generated code (`build.sh --checked`), or neither
 * (`--unchecked`). docs/firmware.md, "The arena never overflows".
 */
#include "wasm-rt-impl.h"

#include <stdarg.h>
#include <string.h>

#ifndef WRT_ARENA_PAGES
#define WRT_ARENA_PAGES 4
#endif
#ifndef WRT_MAX_FUNC_TYPES
#define WRT_MAX_FUNC_TYPES 48
#endif
#define WRT_PAGE 65536u
#define WRT_MAX_TYPE_ARITY 12

#define WRT_GUARD_WORDS 4
#define WRT_GUARD 0x5AFE0A7Eu /* word i holds WRT_GUARD ^ i (below) or ~(WRT_GUARD ^ i) (above) */

#if WRT_MASKED_MEMORY
#include "wrt_masked.h"
/* The pages reserved: a power of two >= WRT_ARENA_PAGES, so the mask covers
 * exactly the reservation (build.sh passes the smallest such). */
#ifndef WRT_RESERVED_PAGES
#error "a masked arena needs -DWRT_RESERVED_PAGES (a power of two >= WRT_ARENA_PAGES)"
#endif
_Static_assert(WRT_RESERVED_PAGES >= WRT_ARENA_PAGES && (WRT_RESERVED_PAGES & (WRT_RESERVED_PAGES - 1)) == 0,
               "WRT_RESERVED_PAGES: a power of two >= WRT_ARENA_PAGES");
#else
#undef WRT_RESERVED_PAGES
#define WRT_RESERVED_PAGES WRT_ARENA_PAGES
#endif

/* Not static: wrt_arena_pages (below) is an alias into it. `slack`: a masked
 * access (base masked, then a static offset < WRT_MEM_AT_SLACK - 8 added)
 * ends at most there, not in the guard (so an intact guard still means
 * nothing past the arena was written). */
struct wrt_arena_layout {
  uint32_t below[WRT_GUARD_WORDS];
  uint8_t pages[(size_t)WRT_RESERVED_PAGES * WRT_PAGE]; /* 16-byte aligned: after 16 guard bytes */
#if WRT_MASKED_MEMORY
  uint8_t slack[WRT_MEM_AT_SLACK];
#endif
  uint32_t above[WRT_GUARD_WORDS];
};
struct wrt_arena_layout wrt_arena __attribute__((aligned(16), section(".wrt_arena")));
#if WRT_MASKED_MEMORY
/* The two symbols of wrt_masked.h: the page array, and the mask as an absolute symbol. */
#define WRT_STR_(x) #x
#define WRT_STR(x) WRT_STR_(x)
__asm__(".globl wrt_arena_pages\n.set wrt_arena_pages, wrt_arena + 16\n"
        ".globl wrt_arena_mask\n.set wrt_arena_mask, " WRT_STR(WRT_RESERVED_PAGES) " * 65536 - 1\n");
_Static_assert(__builtin_offsetof(struct wrt_arena_layout, pages) == 16, "wrt_arena_pages = wrt_arena + 16");
#endif
static bool g_arena_used;
static bool g_guards_set;
static const char *g_note;

#if WASM_RT_USE_STACK_DEPTH_COUNT
uint32_t wasm_rt_call_stack_depth;
uint32_t wasm_rt_saved_call_stack_depth;
#endif

jmp_buf wasm_rt_jmp_buf;
static jmp_buf *g_unwind_target;

/* Why the last fault happened, if the runtime knows (wrt.c appends it). */
const char *wrt_rt_note(void) { return g_note; }
uint32_t wrt_rt_arena_pages(void) { return WRT_ARENA_PAGES; }
/* The first byte of the guard above the arena (tests flip it). */
uint8_t *wrt_rt_guard_above(void) { return (uint8_t *)wrt_arena.above; }

static void guards_set(void) {
  for (uint32_t i = 0; i < WRT_GUARD_WORDS; i++) {
    wrt_arena.below[i] = WRT_GUARD ^ i;
    wrt_arena.above[i] = ~(WRT_GUARD ^ i);
  }
  g_guards_set = true;
}

/* True if the guards next to the arena hold their pattern (or were never
 * set: no memory was ever allocated). */
bool wrt_rt_arena_intact(void) {
  if (!g_guards_set) return true;
  for (uint32_t i = 0; i < WRT_GUARD_WORDS; i++)
    if (wrt_arena.below[i] != (WRT_GUARD ^ i) || wrt_arena.above[i] != ~(WRT_GUARD ^ i)) return false;
  return true;
}

void wasm_rt_init(void) {}
bool wasm_rt_is_initialized(void) { return true; }
void wasm_rt_free(void) {}

WASM_RT_NO_RETURN void wasm_rt_trap(wasm_rt_trap_t code) {
#if WASM_RT_USE_STACK_DEPTH_COUNT
  wasm_rt_call_stack_depth = wasm_rt_saved_call_stack_depth;
#endif
  longjmp(wasm_rt_jmp_buf, code ? (int)code : 1);
}

const char *wasm_rt_strerror(wasm_rt_trap_t trap) {
  switch (trap) {
    case WASM_RT_TRAP_NONE: return "no error";
    case WASM_RT_TRAP_OOB: return "out of bounds memory access";
    case WASM_RT_TRAP_INT_OVERFLOW: return "integer overflow";
    case WASM_RT_TRAP_DIV_BY_ZERO: return "integer divide by zero";
    case WASM_RT_TRAP_INVALID_CONVERSION: return "invalid conversion to integer";
    case WASM_RT_TRAP_UNREACHABLE: return "unreachable";
    case WASM_RT_TRAP_CALL_INDIRECT: return "indirect call type mismatch";
    case WASM_RT_TRAP_UNCAUGHT_EXCEPTION: return "uncaught exception";
    default: return "call stack exhausted";
  }
}

/* ---- function types ---- */

typedef struct {
  uint8_t nparams, nresults;
  uint8_t types[WRT_MAX_TYPE_ARITY];
} func_type;

static func_type g_types[WRT_MAX_FUNC_TYPES];
static uint32_t g_ntypes;

uint32_t wasm_rt_register_func_type(uint32_t params, uint32_t results, ...) {
  func_type t;
  memset(&t, 0, sizeof t);
  if (params + results > WRT_MAX_TYPE_ARITY) {
    g_note = "wrt_rt_bare: function type too long (WRT_MAX_TYPE_ARITY)";
    wasm_rt_trap(WASM_RT_TRAP_EXHAUSTION);
  }
  t.nparams = (uint8_t)params;
  t.nresults = (uint8_t)results;
  va_list ap;
  va_start(ap, results);
  for (uint32_t i = 0; i < params + results; i++) t.types[i] = (uint8_t)va_arg(ap, int);
  va_end(ap);
  for (uint32_t i = 0; i < g_ntypes; i++)
    if (memcmp(&g_types[i], &t, sizeof t) == 0) return i + 1;
  if (g_ntypes == WRT_MAX_FUNC_TYPES) {
    g_note = "wrt_rt_bare: too many function types (WRT_MAX_FUNC_TYPES)";
    wasm_rt_trap(WASM_RT_TRAP_EXHAUSTION);
  }
  g_types[g_ntypes] = t;
  return ++g_ntypes;
}

/* ---- memory: the arena ---- */

void wasm_rt_allocate_memory(wasm_rt_memory_t *memory, uint32_t initial_pages, uint32_t max_pages) {
  g_note = NULL;
  if (g_arena_used || initial_pages > WRT_ARENA_PAGES) {
    memory->data = NULL;
    memory->size = 0;
    memory->pages = 0;
    memory->max_pages = 0;
    g_note = g_arena_used ? "wrt_rt_bare: the arena holds one memory only"
                          : "arena too small for the interpreter's initial memory (raise WRT_ARENA_PAGES)";
    wasm_rt_trap(WASM_RT_TRAP_OOB);
  }
  g_arena_used = true;
  if (!g_guards_set) guards_set(); /* once: a later wrt_open must not hide an earlier overrun */
  memset(wrt_arena.pages, 0, (size_t)initial_pages * WRT_PAGE);
  memory->data = wrt_arena.pages;
  memory->pages = initial_pages;
  memory->size = initial_pages * WRT_PAGE;
  memory->max_pages = max_pages < WRT_ARENA_PAGES ? max_pages : WRT_ARENA_PAGES;
}

uint32_t wasm_rt_grow_memory(wasm_rt_memory_t *memory, uint32_t delta) {
  uint32_t old_pages = memory->pages;
  uint32_t new_pages = old_pages + delta;
  if (new_pages < old_pages || new_pages > memory->max_pages) {
    g_note = "arena exhausted (raise WRT_ARENA_PAGES)";
    return (uint32_t)-1;
  }
  memset(memory->data + (size_t)old_pages * WRT_PAGE, 0, (size_t)delta * WRT_PAGE);
  memory->pages = new_pages;
  memory->size = new_pages * WRT_PAGE;
  return old_pages;
}

void wasm_rt_free_memory(wasm_rt_memory_t *memory) {
  if (memory->data == wrt_arena.pages) g_arena_used = false;
  memory->data = NULL;
  memory->size = memory->pages = 0;
}

/* ---- tables: the interpreter's own funcref table (its indirect calls) ---- */

static WASM_RT_NO_RETURN void unsupported(const char *what) {
  g_note = what;
  wasm_rt_trap(WASM_RT_TRAP_UNREACHABLE);
}

#ifndef WRT_FUNCREF_TABLE_MAX
#define WRT_FUNCREF_TABLE_MAX 16 /* entries: the interpreter's table is small and fixed (its extension dispatch) */
#endif
/* One static funcref table, as one arena: the generated code writes its
 * entries through t->data, within t->size. */
static wasm_rt_funcref_t g_funcref_table[WRT_FUNCREF_TABLE_MAX];
static bool g_funcref_table_used;

void wasm_rt_allocate_funcref_table(wasm_rt_funcref_table_t *t, uint32_t n, uint32_t max) {
  t->data = NULL;
  t->size = 0;
  t->max_size = max;
  if (n == 0 && max == 0) return;
  if (g_funcref_table_used) unsupported("wrt_rt_bare: one funcref table only");
  if (n > WRT_FUNCREF_TABLE_MAX) unsupported("wrt_rt_bare: funcref table larger than WRT_FUNCREF_TABLE_MAX");
  g_funcref_table_used = true;
  memset(g_funcref_table, 0, sizeof g_funcref_table); /* null references */
  t->data = g_funcref_table;
  t->size = n;
}
void wasm_rt_free_funcref_table(wasm_rt_funcref_table_t *t) {
  if (t->data == g_funcref_table) g_funcref_table_used = false;
  t->data = NULL;
  t->size = 0;
}
uint32_t wasm_rt_grow_funcref_table(wasm_rt_funcref_table_t *t, uint32_t d, wasm_rt_funcref_t v) {
  uint32_t old = t->size, n = old + d;
  if (t->data != g_funcref_table || n < old || n > t->max_size || n > WRT_FUNCREF_TABLE_MAX) return (uint32_t)-1;
  for (uint32_t i = old; i < n; i++) g_funcref_table[i] = v;
  t->size = n;
  return old;
}

/* externref tables and exceptions: unused by the interpreter */
void wasm_rt_allocate_externref_table(wasm_rt_externref_table_t *t, uint32_t n, uint32_t max) {
  t->data = NULL;
  t->size = 0;
  t->max_size = max;
  if (n) unsupported("wrt_rt_bare: externref tables are not supported");
}
void wasm_rt_free_externref_table(wasm_rt_externref_table_t *t) { (void)t; }
uint32_t wasm_rt_grow_externref_table(wasm_rt_externref_table_t *t, uint32_t d, wasm_rt_externref_t v) {
  (void)t; (void)d; (void)v;
  return (uint32_t)-1;
}

uint32_t wasm_rt_register_tag(uint32_t size) { (void)size; unsupported("wrt_rt_bare: exceptions are not supported"); }
void wasm_rt_load_exception(uint32_t tag, uint32_t size, const void *values) {
  (void)tag; (void)size; (void)values;
  unsupported("wrt_rt_bare: exceptions are not supported");
}
WASM_RT_NO_RETURN void wasm_rt_throw(void) { unsupported("wrt_rt_bare: exceptions are not supported"); }
WASM_RT_UNWIND_TARGET *wasm_rt_get_unwind_target(void) { return g_unwind_target; }
void wasm_rt_set_unwind_target(WASM_RT_UNWIND_TARGET *target) { g_unwind_target = target; }
uint32_t wasm_rt_exception_tag(void) { return 0; }
uint32_t wasm_rt_exception_size(void) { return 0; }
void *wasm_rt_exception(void) { return NULL; }
