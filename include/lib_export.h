/* lib_export.h — WAMR-compatible native symbol descriptions (NativeSymbol), used with
 * wasm_runtime_register_natives / _raw (wasm_export.h) and RuntimeInitArgs.
 *
 * A NativeSymbol has the same layout as weft_native_symbol (weft.h). The signature is
 * required in weft (it is where the import's wasm type comes from): "(params)result" with
 * i i32, I i64, f f32, F f64, r externref (uintptr_t), * pointer, ~ length of the preceding
 * pointer, $ NUL-terminated string. See docs/embedding.md. */
#ifndef _LIB_EXPORT_H_
#define _LIB_EXPORT_H_
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct NativeSymbol {
  const char *symbol;      /* the import's field name */
  void *func_ptr;          /* the C function */
  const char *signature;   /* e.g. "(i*~$)I"; NULL is refused by weft */
  void *attachment;        /* wasm_runtime_get_function_attachment() inside the native */
} NativeSymbol;

/* Table-entry helpers. The EXPORT_WASM_API/EXPORT_WASM_API2 forms have no signature and
 * are refused at registration by weft; they exist so that tables compile. */
#define EXPORT_WASM_API(symbol) { #symbol, (void *)symbol, NULL, NULL }
#define EXPORT_WASM_API2(symbol) { #symbol, (void *)symbol##_wrapper, NULL, NULL }
#define EXPORT_WASM_API_WITH_SIG(symbol, signature) { #symbol, (void *)symbol, signature, NULL }
#define EXPORT_WASM_API_WITH_SIG2(symbol, signature) \
  { #symbol, (void *)symbol##_wrapper, signature, NULL }
#define EXPORT_WASM_API_WITH_ATT(symbol, signature, attachment) \
  { #symbol, (void *)symbol, signature, attachment }
#define EXPORT_WASM_API_WITH_ATT2(symbol, signature, attachment) \
  { #symbol, (void *)symbol##_wrapper, signature, attachment }

#ifdef __cplusplus
}
#endif
#endif
