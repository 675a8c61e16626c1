/* fib.c — naive doubly recursive Fibonacci: calls, returns and small-integer arithmetic. */
#include "kernel.h"

static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

long long bench(int n) { return fib(n); }

KERNEL_CHECK(20)
