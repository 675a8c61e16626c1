/* vm.c — a small stack-machine bytecode interpreter running a program that sums a
 * Collatz-style sequence: a switch-dispatch loop, indirect branches and array traffic. */
#include "kernel.h"

enum { OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_SUB, OP_MUL, OP_AND, OP_SHR,
       OP_LT, OP_JZ, OP_JMP, OP_DUP, OP_POP, OP_HALT };

/* Registers r0..r7. Program (numbers on the left are code offsets):
 *   r0 = n (loop counter), r1 = acc, r2 = x
 *   loop:  if !(0 < r0) halt
 *          x = (r0 * 40503) & 0xFFFFF
 *          while 1 < x: x = (x & 1) ? x*3+1 : x>>1; acc += x & 255
 *          r0 = r0 - 1; goto loop      (the decrement block is appended by bench()) */
static const int program[] = {
  /*  0 */ OP_PUSH, 0, OP_LOAD, 0, OP_LT, OP_JZ, 62,      /* if !(0 < r0) goto halt */
  /*  7 */ OP_LOAD, 0, OP_PUSH, 40503, OP_MUL, OP_PUSH, 1048575, OP_AND, OP_STORE, 2,
  /* 17 */ OP_PUSH, 1, OP_LOAD, 2, OP_LT, OP_JZ, -1,      /* while 1 < x (exit patched) */
  /* 24 */ OP_LOAD, 2, OP_PUSH, 1, OP_AND, OP_JZ, 43,     /* if x odd */
  /* 31 */ OP_LOAD, 2, OP_PUSH, 3, OP_MUL, OP_PUSH, 1, OP_ADD, OP_STORE, 2, OP_JMP, 50,
  /* 43 */ OP_LOAD, 2, OP_PUSH, 1, OP_SHR, OP_STORE, 2,  /* else x >>= 1 */
  /* 50 */ OP_LOAD, 1, OP_LOAD, 2, OP_PUSH, 255, OP_AND, OP_ADD, OP_STORE, 1, OP_JMP, 17,
  /* 62 */ OP_HALT,
};

static long long run(const int *code, long long r0) {
  long long reg[8] = {r0, 0, 0, 0, 0, 0, 0, 0};
  long long stack[64];
  int sp = 0, pc = 0;
  for (;;) {
    switch (code[pc++]) {
      case OP_PUSH: stack[sp++] = code[pc++]; break;
      case OP_LOAD: stack[sp++] = reg[code[pc++]]; break;
      case OP_STORE: reg[code[pc++]] = stack[--sp]; break;
      case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
      case OP_SUB: sp--; stack[sp - 1] -= stack[sp]; break;
      case OP_MUL: sp--; stack[sp - 1] *= stack[sp]; break;
      case OP_AND: sp--; stack[sp - 1] &= stack[sp]; break;
      case OP_SHR: sp--; stack[sp - 1] >>= stack[sp]; break;
      case OP_LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
      case OP_JZ: { int t = code[pc++]; if (!stack[--sp]) pc = t; break; }
      case OP_JMP: pc = code[pc]; break;
      case OP_DUP: stack[sp] = stack[sp - 1]; sp++; break;
      case OP_POP: sp--; break;
      case OP_HALT: return reg[1];
      default: return -1;
    }
  }
}

static int code[128];

long long bench(int n) {
  int len = (int)(sizeof program / sizeof program[0]);
  for (int i = 0; i < len; i++) code[i] = program[i];
  /* Append the decrement block "r0 = r0 - 1; goto 0" after HALT and point the
   * while-loop exit (the JZ operand at offset 23) at it. */
  int at = len;
  int dec[] = {OP_LOAD, 0, OP_PUSH, 1, OP_SUB, OP_STORE, 0, OP_JMP, 0};
  for (int i = 0; i < (int)(sizeof dec / sizeof dec[0]); i++) code[at + i] = dec[i];
  code[23] = at;  /* while-loop exit goes to the decrement block */
  return run(code, n);
}

KERNEL_CHECK(1000)
