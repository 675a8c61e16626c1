/* samples/embed — a tiny embedder of weft through the WAMR-compatible API (wasm_export.h).
 *
 * It registers one native, env.host_add "(ii)i", loads a module that imports it (the bytes
 * below are tiny.wat, converted with wat2wasm), calls the export "twice" (2 * host_add(x, y))
 * and prints the result. Build against an installed weft:
 *     cc embed.c $(pkg-config --cflags --libs weft) -o embed
 */
#include <stdio.h>
#include <string.h>
#include <wasm_export.h>

/* (module (import "env" "host_add" (func $add (param i32 i32) (result i32)))
 *   (func (export "twice") (param i32 i32) (result i32)
 *     local.get 0 local.get 1 call $add i32.const 2 i32.mul)) */
static uint8_t tiny_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07, 0x01, 0x60, 0x02, 0x7f,
    0x7f, 0x01, 0x7f, 0x02, 0x10, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x08, 0x68, 0x6f, 0x73,
    0x74, 0x5f, 0x61, 0x64, 0x64, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x07, 0x09, 0x01,
    0x05, 0x74, 0x77, 0x69, 0x63, 0x65, 0x00, 0x01, 0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x20,
    0x00, 0x20, 0x01, 0x10, 0x00, 0x41, 0x02, 0x6c, 0x0b,
};

static int32_t host_add(wasm_exec_env_t exec_env, int32_t a, int32_t b) {
  (void)exec_env;
  return a + b;
}

int main(void) {
  static NativeSymbol natives[] = {EXPORT_WASM_API_WITH_SIG(host_add, "(ii)i")};
  char error[128];
  if (!wasm_runtime_init() || !wasm_runtime_register_natives("env", natives, 1)) {
    fprintf(stderr, "runtime setup failed\n");
    return 1;
  }
  wasm_module_t module = wasm_runtime_load(tiny_wasm, sizeof tiny_wasm, error, sizeof error);
  wasm_module_inst_t inst =
      module ? wasm_runtime_instantiate(module, 16384, 0, error, sizeof error) : NULL;
  if (!inst) {
    fprintf(stderr, "load/instantiate: %s\n", error);
    return 1;
  }
  wasm_exec_env_t env = wasm_runtime_create_exec_env(inst, 16384);
  wasm_function_inst_t twice = wasm_runtime_lookup_function(inst, "twice");
  uint32_t argv[2] = {20, 1};
  int status = 0;
  if (twice && wasm_runtime_call_wasm(env, twice, 2, argv)) {
    printf("twice(20, 1) = %u\n", argv[0]);
  } else {
    fprintf(stderr, "call failed: %s\n", wasm_runtime_get_exception(inst));
    status = 1;
  }
  wasm_runtime_destroy_exec_env(env);
  wasm_runtime_deinstantiate(inst);
  wasm_runtime_unload(module);
  wasm_runtime_destroy();
  return status;
}
