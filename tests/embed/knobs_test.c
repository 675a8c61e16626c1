/* knobs_test.c — the thread limit's embedding knobs through the WAMR-compatible API:
 * RuntimeInitArgs.max_thread_num, wasm_runtime_set_max_thread_num (before and after init)
 * and the default of 4. Each case runs limit.wasm's count_limit, which creates blocking
 * threads until pthread_create fails with EAGAIN, then joins them all. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include "wasm_export.h"
#include "check.h"
#include "load.h"

/* count_limit on a fresh instance of the module; -10000 when the call itself failed. */
static int32_t count_limit(const uint8_t *bytes, size_t len) {
  char ebuf[256] = "";
  int32_t result = -10000;
  wasm_module_t mod = wasm_runtime_load((uint8_t *)bytes, (uint32_t)len, ebuf, sizeof ebuf);
  wasm_module_inst_t inst = mod ? wasm_runtime_instantiate(mod, 65536, 0, ebuf, sizeof ebuf) : NULL;
  wasm_exec_env_t env = inst ? wasm_runtime_create_exec_env(inst, 65536) : NULL;
  wasm_function_inst_t f = inst ? wasm_runtime_lookup_function(inst, "count_limit") : NULL;
  uint32_t argv[1] = {0};
  if (env && f && wasm_runtime_call_wasm(env, f, 0, argv))
    result = (int32_t)argv[0];
  else
    fprintf(stderr, "count_limit: %s\n", inst ? wasm_runtime_get_exception(inst) : ebuf);
  if (env) wasm_runtime_destroy_exec_env(env);
  if (inst) wasm_runtime_deinstantiate(inst);
  if (mod) wasm_runtime_unload(mod);
  return result;
}

int main(void) {
  size_t len = 0;
  uint8_t *bytes = load_file(WASM_DIR "/limit.wasm", &len);
  if (!CHECK(bytes != NULL, "load limit.wasm")) return check_summary();

  CHECK(wasm_runtime_init(), "wasm_runtime_init");
  int32_t n = count_limit(bytes, len);
  CHECK(n == 4, "default thread limit: %d threads created before EAGAIN (want 4)", n);
  wasm_runtime_set_max_thread_num(6);
  n = count_limit(bytes, len);
  CHECK(n == 6, "wasm_runtime_set_max_thread_num(6) after init: %d (want 6)", n);
  wasm_runtime_destroy();

  RuntimeInitArgs init;
  memset(&init, 0, sizeof init);
  init.mem_alloc_type = Alloc_With_System_Allocator;
  init.max_thread_num = 2;
  CHECK(wasm_runtime_full_init(&init), "wasm_runtime_full_init with max_thread_num 2");
  n = count_limit(bytes, len);
  CHECK(n == 2, "RuntimeInitArgs.max_thread_num = 2: %d (want 2)", n);
  wasm_runtime_destroy();

  wasm_runtime_set_max_thread_num(8);
  CHECK(wasm_runtime_init(), "wasm_runtime_init after set_max_thread_num(8)");
  n = count_limit(bytes, len);
  CHECK(n == 8, "wasm_runtime_set_max_thread_num(8) before init: %d (want 8)", n);
  wasm_runtime_destroy();

  free(bytes);
  return check_summary();
}
