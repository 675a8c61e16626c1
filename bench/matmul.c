/* matmul.c — dense double-precision matrix multiply (N x N, i-k-j order), n times:
 * f64 loads, multiplies and adds. Returns a checksum of the product. */
#include "kernel.h"

#define N 128
static double a[N][N], b[N][N], c[N][N];

long long bench(int n) {
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      a[i][j] = (double)((i * 7 + j * 3) % 17) / 8.0 - 1.0;
      b[i][j] = (double)((i * 5 + j * 11) % 13) / 4.0 - 1.5;
    }
  double sum = 0.0;
  for (int rep = 0; rep < n; rep++) {
    for (int i = 0; i < N; i++)
      for (int j = 0; j < N; j++) c[i][j] = 0.0;
    for (int i = 0; i < N; i++)
      for (int k = 0; k < N; k++) {
        double aik = a[i][k];
        for (int j = 0; j < N; j++) c[i][j] += aik * b[k][j];
      }
    sum += c[rep % N][(rep * 3) % N];
    /* Feed the result back so repetitions cannot be hoisted. */
    a[rep % N][rep % N] = c[(rep + 1) % N][rep % N] / 1024.0;
  }
  double trace = 0.0;
  for (int i = 0; i < N; i++) trace += c[i][i];
  return (long long)(sum * 1000.0) ^ (long long)(trace * 1000.0);
}

KERNEL_CHECK(2)
