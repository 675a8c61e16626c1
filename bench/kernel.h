/* kernel.h — shared glue for the weft benchmark kernels.
 *
 * Every kernel defines `long long bench(int n)`: a deterministic, CPU-bound workload whose
 * size grows with n and whose result is a checksum. The same source is compiled twice:
 *   - to wasm32 (clang --target=wasm32 -nostdlib), exporting `bench` and `check`;
 *   - natively (gcc -O2) together with native_main.c, which calls bench(n) and prints it.
 * `check()` runs the kernel at a small fixed size so a reference interpreter (wabt's
 * wasm-interp, which cannot pass arguments) can verify the wasm build.
 *
 * No libc: kernels use only the builtins below, which clang lowers to wasm instructions
 * (f64.sqrt, memory.copy/memory.fill with -mbulk-memory) and gcc to libc/inline code.
 */
#ifndef WEFT_BENCH_KERNEL_H
#define WEFT_BENCH_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#define k_memcpy(d, s, n) __builtin_memcpy((d), (s), (n))
#define k_memset(d, c, n) __builtin_memset((d), (c), (n))
#define k_sqrt(x) __builtin_sqrt(x)

long long bench(int n);

/* Defines check(): bench() at a small size, for quick differential checks. */
#define KERNEL_CHECK(small_n) \
  long long check(void) { return bench(small_n); }

long long check(void);

#endif
