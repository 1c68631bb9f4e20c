/* wasi:logging back end for macOS: Apple's unified logging (os_log).
 *
 * Built only where the macOS SDK exists (clang on macOS); this repository's
 * CI runs on Linux and does not compile it. Use:
 *
 *   wrt_os_log_open("com.example.firmware-sim");       // the subsystem
 *   wrt_set_record_sink(wrt_os_log, NULL);              // host-shims/c/wrt.h
 *
 * Mapping (docs/wasi-logging.md):
 *   subsystem  the string given to wrt_os_log_open
 *   category   the record's context ("" -> "default")
 *   type       trace, debug -> OS_LOG_TYPE_DEBUG; info -> OS_LOG_TYPE_INFO;
 *              warn -> OS_LOG_TYPE_DEFAULT; error -> OS_LOG_TYPE_ERROR;
 *              critical -> OS_LOG_TYPE_FAULT
 *   message    "%{public}.*s" (guest text is not private data of the host)
 *
 * os_log objects are created once per (subsystem, category) and kept: a
 * small fixed cache, looked up under a lock (records may come from several
 * interpreter threads). os_log itself is thread-safe and writes whole
 * records.
 */
#include <os/log.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#define WRT_OS_LOG_CATEGORIES 32
#define WRT_OS_LOG_NAME 64

static char g_subsystem[128] = "wrt";
static struct { char name[WRT_OS_LOG_NAME]; os_log_t log; } g_cache[WRT_OS_LOG_CATEGORIES];
static int g_cached;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

void wrt_os_log_open(const char *subsystem) {
  pthread_mutex_lock(&g_lock);
  strncpy(g_subsystem, subsystem ? subsystem : "wrt", sizeof g_subsystem - 1);
  g_cached = 0;
  pthread_mutex_unlock(&g_lock);
}

static os_log_type_t type_of(int level) {
  switch (level) {
    case 0: case 1: return OS_LOG_TYPE_DEBUG;
    case 2: return OS_LOG_TYPE_INFO;
    case 3: return OS_LOG_TYPE_DEFAULT;
    case 4: return OS_LOG_TYPE_ERROR;
    default: return OS_LOG_TYPE_FAULT;
  }
}

/* The os_log object for a category; contexts beyond the cache share "other". */
static os_log_t log_for(const char *context, uint32_t len) {
  char name[WRT_OS_LOG_NAME];
  if (len == 0) { strcpy(name, "default"); }
  else {
    if (len >= sizeof name) len = sizeof name - 1;
    memcpy(name, context, len);
    name[len] = 0;
  }
  os_log_t log = NULL;
  pthread_mutex_lock(&g_lock);
  for (int pass = 0; pass < 2 && !log; pass++) {
    for (int i = 0; i < g_cached; i++) if (strcmp(g_cache[i].name, name) == 0) { log = g_cache[i].log; break; }
    if (log) break;
    /* the last slot is kept for "other" */
    if (g_cached < WRT_OS_LOG_CATEGORIES - 1 || (strcmp(name, "other") == 0 && g_cached < WRT_OS_LOG_CATEGORIES)) {
      log = os_log_create(g_subsystem, name);
      strcpy(g_cache[g_cached].name, name);
      g_cache[g_cached].log = log;
      g_cached++;
    } else {
      strcpy(name, "other");
    }
  }
  pthread_mutex_unlock(&g_lock);
  return log;
}

/* A wrt_record_fn (host-shims/c/wrt.h). */
void wrt_os_log(void *ctx, int level, const char *context, uint32_t context_len,
                const char *message, uint32_t message_len) {
  (void)ctx;
  os_log_with_type(log_for(context, context_len), type_of(level), "%{public}.*s", (int)message_len, message);
}
