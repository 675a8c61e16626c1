#!/usr/bin/env python3
"""difftest.py — differential random tester: weft against wabt's wasm-interp.

For each seed it generates one random but valid module in the text format (helpers,
globals, a memory with a data segment, a table; N exported functions without parameters),
aimed at what weft's translator fuses and specialises: i32/i64 arithmetic chains, compares
with edge constants on either side feeding br_if / if / select, counted loops, blocks with
results and multi-value, br_table, local.tee chains, loads/stores with offsets and narrow
widths, memory.fill/copy, globals, direct and indirect calls, f32/f64 arithmetic and
conversions, sign extension, and traps; plus f64 array kernels (x[i] += a * y[j] ...) over
data they initialise themselves, vm-style dispatch loops (br_table cases branching back),
counted loops in several shapes (increment then compare, the increment tee'd into the
branch, count down to zero, top-tested) and loads feeding branches.
Every loop is bounded by construction and no call recurses, so every function terminates.

The reference results come from `wasm-interp --run-all-exports` (it runs the exports in
order on one instance). They become assert_return / assert_trap commands after the module
in a .wast script that `weft-spec` runs, in both memory modes (guard pages and
--bounds-checks). Exports run in the same order, so memory and global state evolve the same
way; each module ends with checksum exports over memory and the globals.

Float results are returned as their bits (reinterpret); NaNs are canonicalised (to
+nan:canonical) before anything that exposes NaN bits (reinterpret, store, abs, neg,
copysign), since the spec leaves a NaN's sign and payload open.

On a mismatch it prints the seed, the function's text, both results, and a shrunk module
(instructions and blocks dropped while the mismatch persists).

Usage: difftest.py [--seeds A:B | --seed S | --count N [--random]] [--funcs N]
                   [--weft-spec PATH] [--modes fast,bounds] [--keep DIR] [--no-shrink]
  --keep DIR keeps the modules (mSEED.wat), the scripts (batchN.wast) and each shrunk
  failure as a ready-to-edit script (shrunk-SEED-EXPORT.wast).
The last line is "N passed, M failed" (weft-spec's commands; each mode counted separately).
Python 3 standard library only; wat2wasm, wasm-interp and wast2json from wabt.
"""
import argparse
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time

I32, I64, F32, F64 = "i32", "i64", "f32", "f64"
NUM = (I32, I64, F32, F64)
INTS = (I32, I64)
FLOATS = (F32, F64)

# ---------------------------------------------------------------------------------------
# Constants

I32_EDGE = [0, 1, -1, 2, 3, 7, 8, 15, 16, 31, 32, 33, 63, 64, 100, 127, 128, 255, 256,
            0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, -0x80000000, -0x7fffffff, -2, -128,
            -129, -32768, 0x7ffffffe, 0x40000000, -0x40000000, 1023, 1024, 65535, 65536]
I64_EDGE = I32_EDGE + [0xffffffff, 0x100000000, 0x80000000, -0x80000001, 0x7fffffffffffffff,
                       -0x8000000000000000, 4000000028, -4000000028, 0x123456789a,
                       0xffffffff00000000 - (1 << 64), 0x8000000000000000 - (1 << 64) + 1,
                       1 << 40, -(1 << 40), 0x7fffffff00000000, 67000000469, 1 << 53,
                       (1 << 53) + 1, (1 << 63) - 1024, 0xfffffffffff - (1 << 44)]
F_EDGE = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, 2.5, -2.5, 3.0, 100.0, 1e10, -1e10, 1e-10,
          2147483647.0, 2147483648.0, -2147483648.0, -2147483649.0, 4294967295.0,
          4294967296.0, 9.223372036854775807e18, -9.223372036854775808e18,
          1.8446744073709552e19, 0.49999999999999994, 4503599627370496.5, 1e300, -1e300,
          5e-324, 1.17549435e-38, 1.4e-45, 3.4028234663852886e38, float("inf"),
          float("-inf"), float("nan"), -0.9999, 0.9999, 16777217.0, 9007199254740993.0]


def wrap32(v):
    v &= 0xffffffff
    return v - (1 << 32) if v >= 1 << 31 else v


def wrap64(v):
    v &= 0xffffffffffffffff
    return v - (1 << 64) if v >= 1 << 63 else v


def fmt_float(t, x):
    """Text for an fN.const with value x (rounded to f32 first for f32)."""
    if x != x:
        return "nan"
    if x in (float("inf"), float("-inf")):
        return "inf" if x > 0 else "-inf"
    if t == F32:
        try:
            x = struct.unpack("<f", struct.pack("<f", x))[0]
        except OverflowError:
            return "inf" if x > 0 else "-inf"
    return x.hex()


# ---------------------------------------------------------------------------------------
# The generator


class Func:
    def __init__(self, name, params, results, exported=False):
        self.name, self.params, self.results, self.exported = name, params, results, exported
        self.sig = None


class Ctx:
    """Per-function generation state."""

    def __init__(self, g, func, budget):
        self.g = g
        self.func = func
        self.budget = budget
        self.labels = []          # (name, kind, result types); kind: block/if/loop
        self.nlabel = 0
        self.locals = {t: [] for t in NUM}   # general locals by type (params included)
        self.decls = []           # (name, type) declared locals
        self.ptrs = []            # i32 locals that only ever hold small addresses
        self.counters = []        # loop counters usable (read-only) in the current scope
        self.nctr = 0
        for i, t in enumerate(func.params):
            self.locals[t].append("$p%d" % i)
        for t, n in ((I32, 3), (I64, 3), (F32, 2), (F64, 2)):
            for i in range(n):
                nm = "$%s_%d" % (t, i)
                self.decls.append((nm, t))
                self.locals[t].append(nm)
        for i in range(2):
            self.decls.append(("$ptr%d" % i, I32))
            self.ptrs.append("$ptr%d" % i)
        self.decls += [("$tf32", F32), ("$tf64", F64)]

    def label(self, kind, results):
        self.nlabel += 1
        nm = "$L%d" % self.nlabel
        self.labels.append((nm, kind, results))
        return nm

    def counter(self, t):
        self.nctr += 1
        nm = "$k%d" % self.nctr
        self.decls.append((nm, t))
        return nm


class Gen:
    def __init__(self, seed, nfuncs):
        self.rng = random.Random(seed)
        self.seed = seed
        self.nfuncs = nfuncs
        self.sigs = []      # (params, results) -> index in type section
        self.helpers = []
        self.depth = 0

    # --- small helpers
    def r(self):
        return self.rng.random()

    def ch(self, seq):
        return self.rng.choice(seq)

    def ri(self, a, b):
        return self.rng.randint(a, b)

    def wch(self, pairs):
        """Weighted choice among (weight, value) pairs with positive weight."""
        tot = sum(w for w, _ in pairs if w > 0)
        x = self.r() * tot
        for w, v in pairs:
            if w <= 0:
                continue
            x -= w
            if x < 0:
                return v
        return pairs[-1][1]

    def sig_index(self, params, results):
        key = (tuple(params), tuple(results))
        if key not in self.sigs:
            self.sigs.append(key)
        return "$sig%d" % self.sigs.index(key)

    # --- constants
    def int_val(self, t):
        x = self.r()
        if t == I32:
            if x < 0.55:
                return wrap32(self.ch(I32_EDGE))
            if x < 0.85:
                return self.ri(-20, 20)
            return wrap32(self.rng.getrandbits(32))
        if x < 0.5:
            return wrap64(self.ch(I64_EDGE))
        if x < 0.75:
            return self.ri(-20, 20)
        if x < 0.87:
            return wrap64(self.rng.getrandbits(self.ri(33, 40)) * self.ch([1, -1]))
        return wrap64(self.rng.getrandbits(64))

    def float_val(self, t):
        x = self.r()
        if x < 0.5:
            return self.ch(F_EDGE)
        if x < 0.75:
            return float(self.ri(-40, 40)) / self.ch([1, 2, 4, 3, 10])
        if t == F32:
            v = struct.unpack("<f", struct.pack("<I", self.rng.getrandbits(32)))[0]
        else:
            v = struct.unpack("<d", struct.pack("<Q", self.rng.getrandbits(64)))[0]
        return v

    def const(self, t):
        if t in INTS:
            return "(%s.const %d)" % (t, self.int_val(t))
        v = self.float_val(t)
        if v != v and self.r() < 0.3:
            return "(%s.const %s)" % (t, self.ch(["-nan", "nan:0x1", "-nan:0x7", "nan:0x200000"]
                                                 if t == F32 else ["-nan", "nan:0x1", "nan:0x4000000000000"]))
        return "(%s.const %s)" % (t, fmt_float(t, v))

    # --- canonicalisation of float values whose NaN bits would become visible
    def canon(self, c, t, e):
        tmp = "$tf32" if t == F32 else "$tf64"
        return "(select (%s.const nan) (local.tee %s %s) (%s.ne (local.get %s) (local.get %s)))" % (
            t, tmp, e, t, tmp, tmp)

    # --- addresses
    def addr(self, c, size):
        """An i32 address expression, mostly in [0, 1300), sometimes anything."""
        k = self.wch([(3, "const"), (3, "and"), (3, "ptr"), (2, "ptrk"), (2, "idx"),
                      (2, "sidx"), (0.4, "wild"), (0.3, "edge")])
        if k == "const":
            return "(i32.const %d)" % self.ri(0, 1100)
        if k == "and":
            return "(i32.and %s (i32.const %d))" % (self.expr(c, I32), self.ch([1023, 1016, 511, 255, 7]))
        if k == "ptr":
            return "(local.get %s)" % self.ch(c.ptrs)
        if k == "ptrk":
            return "(i32.add (local.get %s) (i32.const %d))" % (self.ch(c.ptrs), self.ri(0, 300))
        if k in ("idx", "sidx"):
            idx = "(local.get %s)" % self.ch(c.counters) if c.counters and self.r() < 0.8 else \
                "(i32.and %s (i32.const 63))" % self.expr(c, I32)
            if self.r() < 0.25:
                idx = "(i32.add %s (i32.const %d))" % (idx, self.ri(-1, 4))
            if self.r() < 0.2:
                idx = "(block (result i32) %s)" % idx
            sh = self.ri(0, 3)
            if k == "idx":
                return "(i32.add (local.get %s) (i32.shl %s (i32.const %d)))" % (self.ch(c.ptrs), idx, sh)
            return "(i32.add (i32.shl %s (i32.const %d)) (i32.const %d))" % (idx, sh, self.ri(0, 600))
        if k == "edge":
            return "(i32.const %d)" % self.ch([65536 - size, 65536 - size + 1, 65535, 65536,
                                               -1, -size, 0x7fffffff, 65536 * 2 - size])
        return self.expr(c, I32)

    def offset(self):
        x = self.r()
        if x < 0.5:
            return ""
        if x < 0.97:
            return " offset=%d" % self.ch([1, 2, 3, 4, 7, 8, 16, 24, 31, 64, 100])
        return " offset=%d" % self.ch([65532, 65535, 65536, 0xfffffff0])

    # --- conditions (an i32 used as a condition)
    def cond(self, c):
        k = self.wch([(5, "cmp"), (1.5, "eqz"), (1, "fcmp"), (1, "any"), (1, "ctr"), (0.8, "ld"),
                      (0.6, "ldw")])
        if k == "ld":     # branch on a loaded byte/word (BR_L8_NZ, BR_L32_Z, BR_L_I32_C_I ...)
            op = self.ch(["i32.load8_u", "i32.load"])
            e = "(%s%s %s)" % (op, self.offset(), self.addr(c, 4))
            x = self.r()
            if x < 0.4:
                return e
            if x < 0.6:
                return "(i32.eqz %s)" % e
            return "(i32.%s %s %s)" % (self.ch(["eq", "ne", "lt_u", "gt_u", "le_s", "ge_s"]), e,
                                       self.ch([self.const(I32), self.leaf(c, I32)]))
        if k == "ldw":    # a load into a local that the branch then tests (BR_LW_I32_C)
            e = "(local.tee %s (i32.load%s %s))" % (self.ch(c.locals[I32]), self.offset(), self.addr(c, 4))
            return "(i32.%s %s %s)" % (self.ch(["eq", "ne", "lt_u", "gt_s", "le_u", "ge_u"]), e,
                                       self.ch([self.const(I32), "(local.get %s)" % self.ch(c.locals[I32])]))
        if k == "cmp":
            return self.compare(c, self.ch(INTS))
        if k == "eqz":
            t = self.ch(INTS)
            return "(%s.eqz %s)" % (t, self.expr(c, t))
        if k == "fcmp":
            t = self.ch(FLOATS)
            return "(%s.%s %s %s)" % (t, self.ch(["eq", "ne", "lt", "gt", "le", "ge"]),
                                      self.expr(c, t), self.expr(c, t))
        if k == "ctr" and c.counters:
            return "(i32.%s (local.get %s) (i32.const %d))" % (
                self.ch(["lt_s", "lt_u", "ge_u", "eq", "ne", "gt_s"]), self.ch(c.counters), self.ri(-1, 12))
        return self.expr(c, I32)

    def compare(self, c, t):
        op = self.ch(["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"])
        a, b = self.expr(c, t), self.expr(c, t)
        x = self.r()
        if x < 0.4:
            b = self.const(t)
        elif x < 0.6:
            a = self.const(t)
        elif x < 0.7:
            a = "(local.get %s)" % self.ch(c.locals[t])
        return "(%s.%s %s %s)" % (t, op, a, b)

    # --- expressions
    def leaf(self, c, t):
        if self.r() < 0.1:   # the value in its operand-stack home slot, not a local or constant
            return "(block (result %s) %s)" % (t, self.leaf0(c, t))
        return self.leaf0(c, t)

    def leaf0(self, c, t):
        x = self.r()
        if x < 0.45:
            return self.const(t)
        if x < 0.9 or t != I32:
            return "(local.get %s)" % self.ch(c.locals[t])
        if c.counters and x < 0.95:
            return "(local.get %s)" % self.ch(c.counters)
        return "(global.get $g%s)" % t

    def expr(self, c, t):
        c.budget -= 1
        if c.budget <= 0 or self.depth >= 6:
            return self.leaf(c, t)
        self.depth += 1
        try:
            return self._expr(c, t)
        finally:
            self.depth -= 1

    def _expr(self, c, t):
        isint = t in INTS
        kinds = [(4, "leaf"), (7, "bin"), (2, "un"), (1.5, "cvt"), (1.5, "load"),
                 (1, "global"), (1.2, "select"), (1.5, "tee"), (1, "if"), (0.8, "block"),
                 (0.7, "brif"), (0.5, "switch"), (0.6, "multi"), (0.5, "param"),
                 (0.7, "call"), (0.5, "calli"), (0.08, "unreachable"), (0.15, "br"),
                 (0.15, "return"), (0.5, "seq")]
        if isint:
            kinds += [(2.5, "cmp"), (1, "chain")]
        if t == I32:
            kinds += [(1, "sbin"), (0.4, "sigma")]
        if t == I64:
            kinds += [(0.6, "zext")]
        if t == F64:
            kinds += [(1.5, "fchain"), (0.8, "fk")]
        if t == F32:
            kinds += [(0.5, "fk")]
        if t == I32:
            kinds += [(0.2, "msize"), (0.1, "mgrow")]
        k = self.wch(kinds)
        if k == "leaf":
            return self.leaf(c, t)
        if k == "sbin":   # a OP (x SH k) (I32_XOR_ROTL, I32_ADD_SHL, ...)
            sh = "(i32.%s %s (i32.const %d))" % (self.ch(["rotl", "shr_u", "shl"]), self.expr(c, I32),
                                                 self.ch([0, 1, 2, 3, 7, 13, 31, 32, 33, -1]))
            a = self.expr(c, I32)
            op = self.ch(["xor", "or", "add"])
            return "(i32.%s %s %s)" % (op, a, sh) if self.r() < 0.5 else "(i32.%s %s %s)" % (op, sh, a)
        if k == "sigma":  # rotl(x, a) ^ rotl(y, b) ^ rotl/shr_u(z, c) (sha-2)
            x = "(local.get %s)" % self.ch(c.locals[I32])
            return "(i32.xor (i32.xor (i32.rotl %s (i32.const %d)) (i32.rotl %s (i32.const %d))) (i32.%s %s (i32.const %d)))" % (
                x, self.ri(0, 40), self.leaf(c, I32), self.ri(0, 31), self.ch(["rotl", "shr_u"]),
                self.leaf(c, I32), self.ri(0, 33))
        if k == "zext":   # i64.extend_i32_u of a compare / zero-extending load (emits nothing)
            e = self.ch([lambda: self.compare(c, self.ch(INTS)),
                         lambda: "(i32.load8_u%s %s)" % (self.offset(), self.addr(c, 1)),
                         lambda: "(i32.load16_u%s %s)" % (self.offset(), self.addr(c, 2)),
                         lambda: "(i32.load%s %s)" % (self.offset(), self.addr(c, 4))])()
            return "(i64.extend_i32_u %s)" % e
        if k == "fchain":  # two or three f64 ops in a chain, either operand (F64_O1_O2_L/_R, F64_MM_*)
            o = lambda: self.ch(["add", "sub", "mul"])
            e = "(f64.%s %s %s)" % (o(), self.expr(c, t), self.expr(c, t))
            for _ in range(self.ri(1, 2)):
                x = self.expr(c, t)
                e = "(f64.%s %s %s)" % (o(), e, x) if self.r() < 0.5 else "(f64.%s %s %s)" % (o(), x, e)
            return e
        if k == "fk":     # a float op with a constant on either side (F64_ADD_K, F64_SUB_KR ...)
            op = self.ch(["add", "sub", "mul", "div"])
            if self.r() < 0.5:
                return "(%s.%s %s %s)" % (t, op, self.expr(c, t), self.const(t))
            return "(%s.%s %s %s)" % (t, op, self.const(t), self.expr(c, t))
        if k == "bin":
            return self.binop(c, t)
        if k == "chain":   # a chain of i32/i64 ops on one value, constants on either side
            e = self.expr(c, t)
            for _ in range(self.ri(2, 4)):
                op = self.ch(["add", "sub", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl"])
                if self.r() < 0.7:
                    e = "(%s.%s %s %s)" % (t, op, e, self.const(t))
                else:
                    e = "(%s.%s %s %s)" % (t, op, self.leaf(c, t), e)
            return e
        if k == "un":
            return self.unop(c, t)
        if k == "cvt":
            return self.convert(c, t)
        if k == "cmp":
            e = self.ch([lambda: self.compare(c, self.ch(INTS)), lambda: self.cond(c)])()
            return e if t == I32 else "(i64.extend_i32_%s %s)" % (self.ch("su"), e)
        if k == "load":
            return self.load(c, t)
        if k == "global":
            return "(global.get $g%s)" % t
        if k == "select":
            return "(select %s %s %s)" % (self.expr(c, t), self.expr(c, t), self.cond(c))
        if k == "tee":
            e = self.expr(c, t)
            for _ in range(self.ri(1, 3)):
                e = "(local.tee %s %s)" % (self.ch(c.locals[t]), e)
            if t in FLOATS:
                return e
            return self.ch([e, "(%s.add %s %s)" % (t, e, self.const(t))])
        if k == "if":
            cond = self.cond(c)
            nm = c.label("if", [t])
            th = self.body(c, t)
            el = self.body(c, t)
            c.labels.pop()
            return "(if %s (result %s) %s (then %s) (else %s))" % (nm, t, cond, th, el)
        if k == "block":
            nm = c.label("block", [t])
            b = self.body(c, t)
            c.labels.pop()
            return "(block %s (result %s) %s)" % (nm, t, b)
        if k == "seq":
            return "(block (result %s) %s)" % (t, self.body(c, t))
        if k == "brif":
            cands = [l for l in c.labels if l[1] != "loop" and l[2] == [t]]
            if cands:
                return "(br_if %s %s %s)" % (self.ch(cands)[0], self.expr(c, t), self.cond(c))
            return self.binop(c, t)
        if k == "br":
            cands = [l for l in c.labels if l[1] != "loop"]
            if cands:
                lab = self.ch(cands)
                return "(%s.%s (br %s %s) %s)" % (t, "add" if t in INTS else "mul", lab[0],
                                                 " ".join(self.expr(c, u) for u in lab[2]), self.leaf(c, t))
            return self.leaf(c, t)
        if k == "return":
            if self.r() < 0.5:
                return self.leaf(c, t)
            return "(if (result %s) %s (then (return %s)) (else %s))" % (
                t, self.cond(c), " ".join(self.expr(c, u) for u in c.func.results), self.expr(c, t))
        if k == "unreachable":
            return "(if (result %s) %s (then (unreachable)) (else %s))" % (t, self.cond(c), self.expr(c, t))
        if k == "switch":
            return self.switch(c, t)
        if k == "multi":
            return self.multi(c, t)
        if k == "param":
            return self.param_block(c, t)
        if k in ("call", "calli"):
            return self.call(c, t, k == "calli")
        if k == "msize":
            return "(memory.size)"
        if k == "mgrow":
            return "(memory.grow (i32.const %d))" % self.ch([0, 1, 1, 2, 5])
        return self.leaf(c, t)

    def body(self, c, t):
        """Statements then an expression of type t (a block body)."""
        return " ".join(self.stmts(c, self.ri(0, 2)) + [self.expr(c, t)])

    def binop(self, c, t):
        if t in INTS:
            op = self.wch([(3, "add"), (2, "sub"), (2, "mul"), (1.5, "and"), (1.5, "or"), (1.5, "xor"),
                           (1, "shl"), (1, "shr_s"), (1, "shr_u"), (0.7, "rotl"), (0.7, "rotr"),
                           (0.6, "div_s"), (0.6, "div_u"), (0.6, "rem_s"), (0.6, "rem_u")])
            a, b = self.expr(c, t), self.expr(c, t)
            if op.startswith(("div", "rem")) and self.r() < 0.6:
                b = "(%s.or %s (%s.const %d))" % (t, b, t, self.ch([1, 2, 4, 0x100]))
            elif self.r() < 0.35:
                b = self.const(t)
            elif self.r() < 0.15:
                a = self.const(t)
            return "(%s.%s %s %s)" % (t, op, a, b)
        op = self.wch([(3, "add"), (2, "sub"), (3, "mul"), (1, "div"), (1, "min"), (1, "max"),
                       (0.7, "copysign")])
        a, b = self.expr(c, t), self.expr(c, t)
        if self.r() < 0.3:
            b = self.const(t)
        if op == "copysign":
            a, b = self.canon(c, t, a), self.canon(c, t, b)
        return "(%s.%s %s %s)" % (t, op, a, b)

    def unop(self, c, t):
        if t == I32:
            op = self.ch(["eqz", "clz", "ctz", "popcnt", "extend8_s", "extend16_s"])
            return "(i32.%s %s)" % (op, self.expr(c, I32))
        if t == I64:
            op = self.ch(["clz", "ctz", "popcnt", "extend8_s", "extend16_s", "extend32_s"])
            return "(i64.%s %s)" % (op, self.expr(c, I64))
        op = self.ch(["abs", "neg", "sqrt", "ceil", "floor", "trunc", "nearest"])
        e = self.expr(c, t)
        if op in ("abs", "neg"):
            e = self.canon(c, t, e)
        return "(%s.%s %s)" % (t, op, e)

    def convert(self, c, t):
        if t == I32:
            k = self.ch(["wrap", "trunc", "trunc_sat", "reinterpret", "eqz64"])
            if k == "wrap":
                return "(i32.wrap_i64 %s)" % self.expr(c, I64)
            if k == "eqz64":
                return "(i64.eqz %s)" % self.expr(c, I64)
            if k == "reinterpret":
                return "(i32.reinterpret_f32 %s)" % self.canon(c, F32, self.expr(c, F32))
            f = self.ch(FLOATS)
            return "(i32.%s_%s_%s %s)" % (k, f, self.ch("su"), self.expr(c, f))
        if t == I64:
            k = self.ch(["extend", "extend", "trunc", "trunc_sat", "reinterpret"])
            if k == "extend":
                return "(i64.extend_i32_%s %s)" % (self.ch("su"), self.expr(c, I32))
            if k == "reinterpret":
                return "(i64.reinterpret_f64 %s)" % self.canon(c, F64, self.expr(c, F64))
            f = self.ch(FLOATS)
            return "(i64.%s_%s_%s %s)" % (k, f, self.ch("su"), self.expr(c, f))
        k = self.ch(["convert", "convert", "demote", "reinterpret"])
        if k == "convert":
            i = self.ch(INTS)
            return "(%s.convert_%s_%s %s)" % (t, i, self.ch("su"), self.expr(c, i))
        if k == "demote":
            return "(f32.demote_f64 %s)" % self.expr(c, F64) if t == F32 else \
                "(f64.promote_f32 %s)" % self.expr(c, F32)
        return "(%s.reinterpret_%s %s)" % (t, I32 if t == F32 else I64, self.expr(c, I32 if t == F32 else I64))

    def load(self, c, t):
        forms = {I32: [("i32.load", 4), ("i32.load8_s", 1), ("i32.load8_u", 1), ("i32.load16_s", 2),
                       ("i32.load16_u", 2)],
                 I64: [("i64.load", 8), ("i64.load8_s", 1), ("i64.load8_u", 1), ("i64.load16_s", 2),
                       ("i64.load16_u", 2), ("i64.load32_s", 4), ("i64.load32_u", 4)],
                 F32: [("f32.load", 4)], F64: [("f64.load", 8)]}[t]
        op, size = self.ch(forms)
        e = "(%s%s %s)" % (op, self.offset(), self.addr(c, size))
        if t in INTS and self.r() < 0.3:   # a load feeding a binop (fused load+op forms)
            e = "(%s.%s %s %s)" % (t, self.ch(["add", "sub", "and", "or", "xor", "mul"]),
                                   self.leaf(c, t), e)
        elif t in FLOATS and self.r() < 0.3:
            e = "(%s.%s %s %s)" % (t, self.ch(["add", "sub", "mul"]), self.leaf(c, t), e)
        return e

    def switch(self, c, t):
        """br_table over nested blocks with results; each case adjusts the value."""
        n = self.ri(1, 4)
        out = c.label("block", [t])
        names = [c.label("block", [t]) for _ in range(n)]   # outermost first
        targets = [self.ch(names + [out]) for _ in range(self.ri(0, 5))]
        default = self.ch(names + [out])
        x = self.r()
        if x < 0.4:
            idx = "(i32.const %d)" % self.ri(-1, n + 2)
        elif x < 0.7:
            idx = "(i32.add (local.get %s) (i32.const %d))" % (
                self.ch(c.counters + c.locals[I32]), self.ri(-3, 3))
        else:
            idx = self.expr(c, I32)
        s = "(block %s (result %s) " % (out, t)
        for nm in names:
            s += "(block %s (result %s) " % (nm, t)
        s += "(br_table %s %s %s %s)" % (" ".join(targets), default, self.expr(c, t), idx)
        for nm in reversed(names):
            c.labels.pop()
            op = self.ch(["add", "sub", "mul"] + (["xor", "shl"] if t in INTS else ["min"]))
            s += ") (%s.%s %s) (br %s)" % (t, op, self.expr(c, t), out)
        c.labels.pop()
        return s + ")"

    def multi(self, c, t):
        """A block (or call) with two results, consumed through locals or a binop."""
        cands = [h for h in self.helpers if len(h.results) == 2 and h.results[0] == t and h is not c.func
                 and (c.func.exported or self.helpers.index(h) < self.helpers.index(c.func))]
        if cands and self.r() < 0.5:
            h = self.ch(cands)
            args = " ".join(self.expr(c, p) for p in h.params)
            if c.func.exported and self.r() < 0.3:
                blk = "(call_indirect (type %s) %s %s)" % (h.sig, args, self.table_index(c, h))
            else:
                blk = "(call %s %s)" % (h.name, args)
            t2 = h.results[1]
            return "(block (result %s) %s (local.set %s) (local.set %s) %s)" % (
                t, blk, self.ch(c.locals[t2]), self.ch(c.locals[t]), self.expr(c, t))
        t2 = self.ch(NUM)
        nm = c.label("block", [t, t2])
        st = self.stmts(c, self.ri(0, 2))
        if self.r() < 0.5:
            st.append("(drop (drop (br_if %s %s %s %s)))" % (nm, self.expr(c, t), self.expr(c, t2),
                                                            self.cond(c)))
        st += [self.expr(c, t), self.expr(c, t2)]
        c.labels.pop()
        blk = "(block %s (result %s %s) %s)" % (nm, t, t2, " ".join(st))
        if t2 == t and t in INTS and self.r() < 0.5:
            return "(%s.%s %s)" % (t, self.ch(["add", "sub", "xor", "rotl"]), blk)
        l2 = self.ch(c.locals[t2])
        l1 = self.ch(c.locals[t])
        return "(block (result %s) %s (local.set %s) (local.set %s) %s)" % (
            t, blk, l2, l1, self.expr(c, t))

    def param_block(self, c, t):
        """block/if/loop taking a parameter from the stack."""
        pt = self.ch(NUM)
        kind = self.ch(["block", "if", "loop"])
        pre = self.expr(c, pt)
        lp = self.ch(c.locals[pt])

        def consume():
            if pt == t and self.r() < 0.5:
                op = self.ch(["add", "sub", "mul"])
                return "(%s.%s %s)" % (t, op, self.expr(c, t))
            return "(local.set %s) %s" % (lp, self.body(c, t))
        if kind == "if":
            cond = self.cond(c)
            nm = c.label("if", [t])
            th, el = consume(), consume()
            c.labels.pop()
            return "(block (result %s) %s (if %s (param %s) (result %s) %s (then %s) (else %s)))" % (
                t, pre, nm, pt, t, cond, th, el)
        nm = c.label(kind, [t])
        b = consume()
        c.labels.pop()
        return "(block (result %s) %s (%s %s (param %s) (result %s) %s))" % (t, pre, kind, nm, pt, t, b)

    def call(self, c, t, indirect):
        cands = [h for h in self.helpers if len(h.results) == 1 and h.results[0] == t and h is not c.func
                 and (c.func.exported or self.helpers.index(h) < self.helpers.index(c.func))]
        if not cands:
            return self.binop(c, t)
        h = self.ch(cands)
        args = " ".join(self.expr(c, p) for p in h.params)
        if not indirect:
            return "(call %s %s)" % (h.name, args)
        return "(call_indirect (type %s) %s %s)" % (h.sig, args, self.table_index(c, h))

    def table_index(self, c, h):
        x = self.r()
        slots = [i for i, e in enumerate(self.table) if e is h]
        if slots and (x < 0.75 or not c.func.exported):   # helpers: no recursion through the table
            return "(i32.const %d)" % self.ch(slots)
        if not c.func.exported:
            return "(i32.const %d)" % (len(self.table) + 5)
        if x < 0.85:
            return "(i32.const %d)" % self.ri(0, len(self.table) + 1)
        return "(i32.and %s (i32.const 7))" % self.expr(c, I32)

    # --- statements
    def stmts(self, c, n):
        return [self.stmt(c) for _ in range(n)]

    def stmt(self, c):
        c.budget -= 1
        if c.budget <= 0 or self.depth >= 6:
            return "(local.set %s %s)" % (self.ch(c.locals[I32]), self.leaf(c, I32))
        self.depth += 1
        try:
            return self._stmt(c)
        finally:
            self.depth -= 1

    def _stmt(self, c):
        k = self.wch([(5, "set"), (1, "setk"), (1, "mov"), (1, "ptr"), (3, "store"), (1, "global"),
                      (1.5, "if"), (1.2, "block"), (1.8, "loop"), (0.5, "fill"), (0.5, "copy"),
                      (0.8, "drop"), (0.8, "callv"), (0.6, "brif"), (0.4, "brtable"),
                      (0.3, "ret"), (0.6, "inc"), (0.5, "kernel"), (0.4, "dispatch")])
        if k == "kernel":
            return self.kernel(c)
        if k == "dispatch":
            return self.dispatch(c)
        if k == "set":
            t = self.ch(NUM)
            return "(local.set %s %s)" % (self.ch(c.locals[t]), self.expr(c, t))
        if k == "setk":
            t = self.ch(NUM)
            return "(local.set %s %s)" % (self.ch(c.locals[t]), self.const(t))
        if k == "mov":    # consecutive local copies (MOV2/MOV3)
            t = self.ch(NUM)
            return " ".join("(local.set %s (local.get %s))" % (self.ch(c.locals[t]), self.ch(c.locals[t]))
                            for _ in range(self.ri(2, 3)))
        if k == "inc":    # i' = i + k; i = i'
            a, b = self.ch(c.locals[I32]), self.ch(c.locals[I32])
            return "(local.set %s (local.tee %s (i32.add (local.get %s) (i32.const %d))))" % (
                a, b, a, self.ri(-3, 9))
        if k == "ptr":
            return "(local.set %s %s)" % (self.ch(c.ptrs), self.ch([
                "(i32.const %d)" % self.ri(0, 900),
                "(i32.and %s (i32.const %d))" % (self.expr(c, I32), self.ch([511, 1023, 504]))]))
        if k == "store":
            return self.store(c)
        if k == "global":
            t = self.ch(NUM)
            return "(global.set $g%s %s)" % (t, self.expr(c, t))
        if k == "if":
            cond = self.cond(c)
            nm = c.label("if", [])
            th = self.stmts(c, self.ri(1, 3))
            el = self.stmts(c, self.ri(0, 2))
            c.labels.pop()
            return "(if %s %s (then %s)%s)" % (nm, cond, " ".join(th),
                                               " (else %s)" % " ".join(el) if el else "")
        if k == "block":
            nm = c.label("block", [])
            b = self.stmts(c, self.ri(1, 3))
            b.insert(self.ri(0, len(b)), "(br_if %s %s)" % (nm, self.cond(c)))
            c.labels.pop()
            return "(block %s %s)" % (nm, " ".join(b))
        if k == "loop":
            return self.loop(c)
        if k == "fill":
            return "(memory.fill %s %s %s)" % (self.addr(c, 64), self.expr(c, I32), self.length(c))
        if k == "copy":
            return "(memory.copy %s %s %s)" % (self.addr(c, 64), self.addr(c, 64), self.length(c))
        if k == "drop":
            return "(drop %s)" % self.expr(c, self.ch(NUM))
        if k == "callv":
            cands = [h for h in self.helpers if not h.results and h is not c.func
                     and (c.func.exported or self.helpers.index(h) < self.helpers.index(c.func))]
            if not cands:
                return self.store(c)
            h = self.ch(cands)
            args = " ".join(self.expr(c, p) for p in h.params)
            if self.r() < 0.3:
                return "(call_indirect (type %s) %s %s)" % (h.sig, args, self.table_index(c, h))
            return "(call %s %s)" % (h.name, args)
        if k == "brif":
            cands = [l for l in c.labels if l[1] != "loop" and not l[2]]
            if cands:
                return "(br_if %s %s)" % (self.ch(cands)[0], self.cond(c))
            return self.store(c)
        if k == "brtable":
            n = self.ri(1, 3)
            names = [c.label("block", []) for _ in range(n)]
            outer = [l[0] for l in c.labels if l[1] != "loop" and not l[2]]
            tg = [self.ch(outer) for _ in range(self.ri(1, 4))]
            s = ""
            for nm in names:   # outermost first
                s += "(block %s " % nm
            idx = self.ch(["(i32.const %d)" % self.ri(-1, 4), self.expr(c, I32),
                           "(i32.add (local.get %s) (i32.const %d))" % (self.ch(c.locals[I32] + c.counters),
                                                                       self.ri(-2, 2))])
            s += "(br_table %s %s)" % (" ".join(tg), idx)
            for _ in names:
                c.labels.pop()
                s += ") " + " ".join(self.stmts(c, self.ri(0, 2)))
            return s
        if k == "ret":
            if not c.func.results:
                return "(if (i32.%s (local.get %s) (i32.const %d)) (then (return)))" % (
                    self.ch(["lt_s", "gt_u", "eq", "ne", "ge_s"]),
                    self.ch(c.locals[I32] + c.counters), self.int_val(I32))
            return "(if %s (then (return %s)))" % (self.cond(c), " ".join(self.expr(c, u) for u in c.func.results))
        return "(nop)"

    def length(self, c):
        x = self.r()
        if x < 0.6:
            return "(i32.const %d)" % self.ri(0, 64)
        if x < 0.9:
            return "(i32.and %s (i32.const 63))" % self.expr(c, I32)
        return "(i32.const %d)" % self.ch([65536, 70000, 0x7fffffff, -1])

    def store(self, c):
        t = self.ch(NUM)
        forms = {I32: [("i32.store", 4), ("i32.store8", 1), ("i32.store16", 2)],
                 I64: [("i64.store", 8), ("i64.store8", 1), ("i64.store16", 2), ("i64.store32", 4)],
                 F32: [("f32.store", 4)], F64: [("f64.store", 8)]}[t]
        op, size = self.ch(forms)
        v = self.const(t) if self.r() < 0.3 and t in INTS else self.expr(c, t)
        if t in FLOATS:
            v = self.canon(c, t, v)
        a = self.addr(c, size)
        if t in INTS and self.r() < 0.2:  # x[i] = x[i] + v on one address
            lop = op.replace("store", "load") + ("_u" if op[-1].isdigit() else "")
            if op in ("i32.store", "i64.store"):
                lop = op.replace("store", "load")
            off = self.offset()
            p = self.ch(c.ptrs)
            return "(%s%s (local.get %s) (%s.add (%s%s (local.get %s)) %s))" % (
                op, off, p, t, lop, off, p, v)
        return "(%s%s %s %s)" % (op, self.offset(), a, v)

    def kernel(self, c):
        """Array loops over f64 data the statement initialises itself (finite values, so no
        NaN reaches memory): x[i] += a * y[j] and friends (F64_MADD_M/_MA/_MX, F64_MMADD_M,
        the f64 load+op forms), and i32 x[i] += v."""
        n = self.ri(1, 10)
        px, py = c.ptrs
        xb, yb = self.ri(0, 100) * 8 + self.ch([0, 0, 4]), self.ri(0, 100) * 8 + self.ch([0, 0, 1])
        k = c.counter(I32)
        init = ("(local.set %s (i32.const 0)) (loop $init%s (f64.store (i32.add (i32.const %d) (i32.shl (local.get %s) (i32.const 3))) "
                "(f64.convert_i32_s (i32.sub (local.get %s) (i32.const %d)))) "
                "(f64.store (i32.add (i32.const %d) (i32.shl (local.get %s) (i32.const 3))) (f64.div (f64.convert_i32_s (local.get %s)) (f64.const 4))) "
                "(local.set %s (i32.add (local.get %s) (i32.const 1))) (br_if $init%s (i32.lt_s (local.get %s) (i32.const %d)))) "
                "(local.set $f64_0 (f64.const 0.5))") % (
                    k, k[1:], xb, k, k, self.ri(0, 5), yb, k, k, k, k, k[1:], k, n + 6)
        a = self.ch(["(f64.const %s)" % fmt_float(F64, self.ch([0.5, -1.5, 3.0, 0.1, -0.0, 2.0])),
                     "(f64.convert_i32_s (local.get %s))" % k])
        b = "(f64.const %s)" % fmt_float(F64, self.ch([1.5, -2.0, 0.25, 7.0]))
        yo, xo = self.ch([0, 8, 16]), self.ch([0, 8])
        yload = self.ch(["(f64.load offset=%d (local.get %s))" % (yo, py),
                         "(f64.load offset=%d (i32.add (local.get %s) (i32.const %d)))" % (yo, py, self.ch([8, 16, -8 + 16]))])
        form = self.ri(0, 6)
        if form == 0:    # x[i] += a * y[j]
            upd = "(f64.store offset=%d (local.get %s) (f64.add (f64.load offset=%d (local.get %s)) (f64.mul %s %s)))" % (
                xo, px, xo, px, a, yload)
        elif form == 1:  # x[i] += (a * b) * c
            upd = "(f64.store offset=%d (local.get %s) (f64.add (f64.load offset=%d (local.get %s)) (f64.mul (f64.mul %s %s) %s)))" % (
                xo, px, xo, px, a, yload, b)
        elif form == 2:  # x[i] = a * y[j] + x[i] (F64_MADD_M and its address-update forms)
            upd = "(f64.store offset=%d (local.get %s) (f64.add (f64.mul %s %s) (f64.load offset=%d (local.get %s))))" % (
                xo, px, a, yload, xo, px)
        elif form == 5:  # x[i] = (a * b) * c + x[i] (F64_MMADD_M)
            upd = ("(local.set $f64_1 %s) (f64.store offset=%d (local.get %s) (f64.add (f64.mul (f64.mul (local.get $f64_0) (local.get $f64_1)) "
                   "(local.get $f64_0)) (f64.load offset=%d (local.get %s))))") % (b, xo, px, xo, px)
        elif form == 6:  # x[i] = y[j] * a + x[i] (operands the other way)
            upd = "(f64.store offset=%d (local.get %s) (f64.add (f64.mul %s %s) (f64.load offset=%d (local.get %s))))" % (
                xo, px, yload, a, xo, px)
        elif form == 3:  # s += x[i] * y[j]; x[i] = s - y[j]
            upd = ("(local.set $f64_0 (f64.add (local.get $f64_0) (f64.mul (f64.load offset=%d (local.get %s)) %s))) "
                   "(f64.store offset=%d (local.get %s) (f64.sub (local.get $f64_0) (f64.load offset=%d (local.get %s))))") % (
                xo, px, yload, xo, px, yo, py)
        elif form == 4:  # i32 x[i] += y[j]; i32 x[i] = x[i] + k
            upd = ("(i32.store offset=%d (local.get %s) (i32.add (i32.load offset=%d (local.get %s)) (i32.load offset=%d (local.get %s)))) "
                   "(i64.store offset=%d (local.get %s) (i64.add (i64.load offset=%d (local.get %s)) (i64.const %d)))") % (
                xo, px, xo, px, yo, py, xo + 4, px, xo + 4, px, self.int_val(I64))
        stepx = "(local.set %s (i32.add (local.get %s) (i32.const 8)))" % (px, px)
        stepy = self.ch(["(local.set %s (i32.add (local.get %s) (i32.const 8)))" % (py, py),
                         "(local.set %s (i32.add (local.get %s) (local.get %s)))" % (py, py, self.ch(["$i32_0", "$i32_1"]))])
        steps = [stepx, stepy]
        self.rng.shuffle(steps)
        if self.r() < 0.5:   # the address updates before the update (F64_MADD_MA/MX)
            body = " ".join(steps) + " " + upd
            setp = "(local.set %s (i32.const %d)) (local.set %s (i32.const %d))" % (px, xb - 8, py, yb - 8)
        else:
            body = upd + " " + " ".join(steps)
            setp = "(local.set %s (i32.const %d)) (local.set %s (i32.const %d))" % (px, xb, py, yb)
        if "local.get $i32_" in stepy:
            setp += " (local.set %s (i32.const 8))" % stepy.split("local.get ")[-1].split(")")[0]
        lp = c.label("loop", [])
        c.labels.pop()
        loop = "(local.set %s (i32.const 0)) (loop %s %s (local.set %s (i32.add (local.get %s) (i32.const 1))) (br_if %s (i32.lt_s (local.get %s) (i32.const %d))))" % (
            k, lp, body, k, k, lp, k, n)
        tail = "(local.set $f64_1 (f64.load (i32.const %d)))" % xb
        return " ".join([init, setp, loop, tail])

    def dispatch(self, c):
        """A vm-style dispatch loop: count; exit when done; br_table to cases that br back."""
        k = c.counter(I32)
        n = self.ri(1, 12)
        ex = c.label("block", [])
        top = c.label("loop", [])
        ncase = self.ri(1, 4)
        cases = [c.label("block", []) for _ in range(ncase)]   # outermost first
        idx = self.ch(["(i32.load8_u (i32.and (i32.add (local.get %s) (local.get %s)) (i32.const 1023)))" % (k, self.ch(c.ptrs)),
                       "(i32.rem_u (local.get %s) (i32.const %d))" % (k, ncase + 1),
                       "(i32.and %s (i32.const 7))" % self.expr(c, I32)])
        s = "(local.set %s (i32.const 0)) (block %s (loop %s (local.set %s (i32.add (local.get %s) (i32.const 1))) " \
            "(br_if %s (i32.gt_u (local.get %s) (i32.const %d))) " % (k, ex, top, k, k, ex, k, n)
        for nm in cases:
            s += "(block %s " % nm
        s += "(br_table %s %s %s)" % (" ".join(cases), ex, idx)
        for nm in reversed(cases):
            c.labels.pop()
            s += ") %s (br %s)" % (" ".join(self.stmts(c, self.ri(0, 2))), top)
        c.labels.pop()
        c.labels.pop()
        return s + "))"

    def loop(self, c):
        """A counted loop: the counter is local to it; only its own br_if goes back."""
        t = I32 if self.r() < 0.8 else I64
        k = c.counter(t)
        n = self.ri(0, 12)
        step = self.ch([1, 1, 1, 2, 3, -1, -2])
        start = self.ch([0, 0, 1, -3, 5, 100, -0x80000000 + 2 if t == I32 else 0x7ffffffffffffff0])
        if step < 0:
            start += n * -step
        end = start + n * step
        lim = 1 << (31 if t == I32 else 63)
        if not (-lim <= end < lim and -lim <= start < lim):
            step = abs(step)
            start, end = 0, n * step
        lp = c.label("loop", [])
        if t == I32:
            c.counters.append(k)
        body = self.stmts(c, self.ri(1, 3))
        if t == I32:
            c.counters.remove(k)
        c.labels.pop()
        inc = "(local.set %s (%s.add (local.get %s) (%s.const %d)))" % (k, t, k, t, step)
        if step > 0:
            cmp = self.ch(["lt_s", "ne"] + (["lt_u"] if start >= 0 else []))
        else:
            cmp = self.ch(["gt_s", "ne"] + (["gt_u"] if end >= 0 else []))
        back = "(br_if %s (%s.%s (local.get %s) (%s.const %d)))" % (lp, t, cmp, k, t, end)
        if self.r() < 0.3 and cmp != "ne":
            # constant on the left: end C' k
            flip = {"lt_s": "gt_s", "lt_u": "gt_u", "gt_s": "lt_s", "gt_u": "lt_u"}[cmp]
            back = "(br_if %s (%s.%s (%s.const %d) (local.get %s)))" % (lp, t, flip, t, end, k)
        if t == I32 and self.r() < 0.35 and n:
            # the increment inside the branch: br_if (k += step) C end, or (k += step) != 0
            if end == 0 and self.r() < 0.5:
                back = "(br_if %s (local.tee %s (i32.add (local.get %s) (i32.const %d))))" % (lp, k, k, step)
            else:
                back = "(br_if %s (i32.%s (local.tee %s (i32.add (local.get %s) (i32.const %d))) (i32.const %d)))" % (
                    lp, cmp, k, k, step, end)
            inc = ""
        if n == 0:
            # do-while runs once: make the exit immediate
            back = "(br_if %s (i32.const 0))" % lp
            inc = ""
        init = "(local.set %s (%s.const %d))" % (k, t, start)
        if self.r() < 0.3 and inc:
            # top-tested form: block + loop, exit when done, br back
            ex = c.label("block", [])
            c.labels.pop()
            cmpx = {"lt_s": "ge_s", "lt_u": "ge_u", "ne": "eq", "gt_s": "le_s", "gt_u": "le_u"}[cmp]
            exitc = "(br_if %s (%s.%s (local.get %s) (%s.const %d)))" % (ex, t, cmpx, k, t, end)
            return "%s (block %s (loop %s %s %s %s (br %s)))" % (init, ex, lp, exitc, " ".join(body), inc, lp)
        return "%s (loop %s %s %s %s)" % (init, lp, " ".join(body), inc, back)

    # --- functions
    def func_text(self, f, budget):
        c = Ctx(self, f, budget)
        self.depth = 0
        body = []
        for nm, t in c.decls:
            if nm.startswith("$ptr"):
                body.append("(local.set %s (i32.const %d))" % (nm, self.ri(0, 800)))
            elif not nm.startswith(("$tf", "$k")) and self.r() < 0.85:
                body.append("(local.set %s %s)" % (nm, self.const(t)))
        body += self.stmts(c, self.ri(1, 5))
        if f.exported:
            rt = f.ret_kind
            if rt in INTS:
                body.append(self.expr(c, rt))
            elif rt == "multi":
                body += [self.expr(c, I32), self.expr(c, I64)]
            else:
                ft = F32 if rt == "f32bits" else F64
                e = self.canon(c, ft, self.expr(c, ft))
                body.append("(%s.reinterpret_%s %s)" % (I32 if ft == F32 else I64, ft, e))
        else:
            body += [self.expr(c, t) for t in f.results]
        params = "".join(" (param $p%d %s)" % (i, t) for i, t in enumerate(f.params))
        results = "".join(" (result %s)" % t for t in f.results)
        locs = "".join(" (local %s %s)" % (nm, t) for nm, t in c.decls)
        exp = ' (export "%s")' % f.name[1:] if f.exported else ""
        return "(func %s%s (type %s)%s%s%s\n    %s)" % (f.name, exp, f.sig, params, results, locs,
                                                      "\n    ".join(body))

    def module(self):
        """Returns (prelude lines, [(export name, function text)], epilogue lines)."""
        rng = self.rng
        nh = self.ri(2, 5)
        for i in range(nh):
            params = [self.ch(NUM) for _ in range(self.ri(0, 3))]
            x = self.r()
            results = [] if x < 0.3 else [self.ch(NUM)] if x < 0.85 else [self.ch(NUM), self.ch(NUM)]
            h = Func("$h%d" % i, params, results)
            h.sig = self.sig_index(params, results)
            self.helpers.append(h)
        self.table = [self.ch(self.helpers) for _ in range(self.ri(2, 6))]
        tsize = len(self.table) + self.ri(0, 3)
        exports = []
        for i in range(self.nfuncs):
            # (no multi-value exports: wabt 1.0.32's wast2json writes malformed JSON for an
            # assert_trap on a function with several results)
            rk = self.wch([(4, I32), (3, I64), (1.5, "f32bits"), (2, "f64bits")])
            res = {I32: [I32], I64: [I64], "f32bits": [I32], "f64bits": [I64], "multi": [I32, I64]}[rk]
            f = Func("$e%d" % i, [], res, exported=True)
            f.ret_kind = rk
            f.sig = self.sig_index([], res)
            exports.append(f)
        htext = [self.func_text(h, self.ri(6, 30)) for h in self.helpers]
        etext = [(f.name[1:], self.func_text(f, self.ri(10, 60))) for f in exports]
        pre = ["(type $sig%d (func%s%s))" % (i, "".join(" (param %s)" % t for t in p),
                                             "".join(" (result %s)" % t for t in r))
               for i, (p, r) in enumerate(self.sigs)]
        pre.append("(memory 1 3)")
        data = bytes(rng.getrandbits(8) for _ in range(self.ri(16, 300)))
        pre.append('(data (i32.const %d) "%s")' % (self.ri(0, 600), "".join("\\%02x" % b for b in data)))
        pre.append("(table %d funcref)" % tsize)
        pre.append("(elem (i32.const 0) func %s)" % " ".join(h.name for h in self.table))
        for t in NUM:
            pre.append("(global $g%s (mut %s) %s)" % (t, t, self.const(t)))
        pre += htext
        pre.append(CHECKSUM)
        return pre, etext, []


# The last export: a checksum of the first 4 KiB of memory, the memory size and the globals.
CHECKSUM = """(func $chk (result i64) (local $i i32) (local $h i64)
    (loop $l
      (local.set $h (i64.xor (i64.mul (local.get $h) (i64.const 1000003)) (i64.load (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 4096))))
    (i64.add (local.get $h)
      (i64.add (i64.extend_i32_u (memory.size))
        (i64.add (i64.extend_i32_u (global.get $gi32))
          (i64.add (global.get $gi64)
            (i64.add (i64.extend_i32_u (i32.reinterpret_f32
                        (select (f32.const nan) (global.get $gf32) (f32.ne (global.get $gf32) (global.get $gf32)))))
                     (i64.reinterpret_f64
                        (select (f64.const nan) (global.get $gf64) (f64.ne (global.get $gf64) (global.get $gf64))))))))))"""


def module_text(pre, funcs, post):
    """The module; each export NAME is followed by an export "zc_NAME" returning the checksum
    of memory and globals (wasm-interp runs exports in order, so it samples the state)."""
    body = []
    for n, t in funcs:
        body += [t, '(func (export "zc_%s") (result i64) (call $chk))' % n]
    return "(module\n  " + "\n  ".join(pre + body + post) + ")\n"


# ---------------------------------------------------------------------------------------
# Running the tools

TRAP_TEXT = [("integer divide by zero", "integer divide by zero"),
             ("integer overflow", "integer overflow"),
             ("invalid conversion to integer", "invalid conversion to integer"),
             ("out of bounds memory access", "out of bounds memory access"),
             ("unreachable", "unreachable"),
             ("undefined table index", "undefined element"),
             ("uninitialized table element", "uninitialized element"),
             ("indirect call signature mismatch", "indirect call type mismatch"),
             ("out of bounds table access", "out of bounds table access"),
             ("call stack exhausted", "call stack exhausted")]


class ToolError(Exception):
    pass


def run(cmd, timeout=60):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def reference(wat_path, wasm_path):
    """wasm-interp's results: {export: ('ok', [(type, decimal)]) | ('trap', spec text)}."""
    rc, out = run(["wat2wasm", wat_path, "-o", wasm_path])
    if rc != 0:
        raise ToolError("wat2wasm failed:\n" + out)
    rc, out = run(["wasm-interp", "--run-all-exports", wasm_path], timeout=10)
    res = {}
    for line in out.splitlines():
        m = re.match(r"^(\w+)\(\) => (.*)$", line)
        if not m:
            continue
        name, r = m.group(1), m.group(2)
        if r.startswith("error: "):
            msg = r[7:]
            for pat, text in TRAP_TEXT:
                if msg.startswith(pat):
                    res[name] = ("trap", text)
                    break
            else:
                res[name] = ("trap", msg)
        else:
            vals = []
            for v in r.split(", "):
                t, x = v.split(":", 1)
                vals.append((t, x))
            res[name] = ("ok", vals)
    if not res:
        raise ToolError("wasm-interp printed no results (status %d):\n%s" % (rc, out))
    return res


def assertion(name, r):
    if r[0] == "trap":
        return '(assert_trap (invoke "%s") "%s")' % (name, r[1])
    return '(assert_return (invoke "%s") %s)' % (name, " ".join("(%s.const %s)" % v for v in r[1]))


def describe(r):
    if r is None:
        return "(no result)"
    if r[0] == "trap":
        return "trap \"%s\"" % r[1]
    out = []
    for t, x in r[1]:
        v = int(x)
        out.append("%s:%d (0x%x)" % (t, v, v))
    return ", ".join(out)


class Weft:
    def __init__(self, spec):
        self.spec = spec

    def run(self, wast_paths, bounds):
        """{(path, line): failure text}, plus passed/failed counts."""
        cmd = [self.spec, "-v", "--timeout", "60"] + (["--bounds-checks"] if bounds else []) + wast_paths
        rc, out = run(cmd, timeout=600)
        fails = {}
        m = None
        for line in out.splitlines():
            fm = re.match(r"^  (.*?):(\d+): FAIL: (.*)$", line)
            if fm:
                fails[(os.path.basename(fm.group(1)), int(fm.group(2)))] = fm.group(3)
                continue
            cm = re.match(r"^(\S+): (crashed: .*|timed out .*|runner exited .*|wast2json failed)$", line)
            if cm:
                lm = re.search(r"at line (\d+)", cm.group(2))
                fails[(os.path.basename(cm.group(1)), int(lm.group(1)) if lm else 0)] = cm.group(2)
            m = re.match(r"^(\d+) passed, (\d+) failed", line) or m
        if not m:
            raise ToolError("weft-spec printed no summary (status %d):\n%s" % (rc, out[-3000:]))
        return fails, int(m.group(1)), int(m.group(2))


# ---------------------------------------------------------------------------------------
# One case (a module and its expected results) and the shrinker


class Case:
    def __init__(self, seed, pre, funcs, post):
        self.seed, self.pre, self.funcs, self.post = seed, pre, funcs, post
        self.ref = None

    def text(self):
        return module_text(self.pre, self.funcs, self.post)

    def order(self):
        return [x for n, _ in self.funcs for x in (n, "zc_" + n)]


def write_wast(path, cases):
    """Writes the modules and their assertions; returns {line: (case, export)}."""
    lines = []
    where = {}
    for c in cases:
        lines += c.text().splitlines()
        for name in c.order():
            if name in c.ref:
                lines.append(assertion(name, c.ref[name]))
                where[len(lines)] = (c, name)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return where


def mismatch(tmp, weft, case, name, bounds):
    """Re-runs one case: the failure text for export `name`, or None if it agrees."""
    wat, wasm, wast = (os.path.join(tmp, "s" + e) for e in (".wat", ".wasm", ".wast"))
    with open(wat, "w") as f:
        f.write(case.text())
    try:
        case.ref = reference(wat, wasm)
    except (ToolError, subprocess.TimeoutExpired):
        return None
    if name not in case.ref:
        return None
    where = write_wast(wast, [case])
    try:
        fails, _, _ = weft.run([wast], bounds)
    except ToolError:
        return None
    for (fn, line), why in fails.items():
        if line in where and where[line][1] == name:
            return why
        if line not in where and ("crash" in why or "timed out" in why):
            return why
    return None


def sexp_split(s):
    """Splits text into a tree: lists for (...) and atoms (strings, other tokens)."""
    toks = re.findall(r'"(?:[^"\\]|\\.)*"|\(|\)|[^\s()"]+', s)
    stack = [[]]
    for t in toks:
        if t == "(":
            stack.append([])
        elif t == ")":
            x = stack.pop()
            stack[-1].append(x)
        else:
            stack[-1].append(t)
    return stack[0]


def sexp_join(x):
    if isinstance(x, list):
        return "(" + " ".join(sexp_join(y) for y in x) + ")"
    return x


def subtrees(x, path=()):
    if isinstance(x, list):
        yield path, x
        for i, y in enumerate(x):
            yield from subtrees(y, path + (i,))


def replace_at(tree, path, new):
    if not path:
        return new
    t = list(tree)
    t[path[0]] = replace_at(tree[path[0]], path[1:], new)
    return t


def delete_at(tree, path):
    t = list(tree)
    if len(path) == 1:
        del t[path[0]]
        return t
    t[path[0]] = delete_at(tree[path[0]], path[1:])
    return t


def shrink_func(text, still_fails, budget_s):
    """Greedy shrink of one function's text: delete sub-lists, or replace one by a child or a
    zero constant, while still_fails(new_text) (which also rejects invalid modules)."""
    tree = sexp_split(text)[0]
    t0 = time.time()
    changed = True
    while changed and time.time() - t0 < budget_s:
        changed = False
        paths = [p for p, x in subtrees(tree) if p and len(p) >= 1]
        paths.sort(key=lambda p: (len(p), p))
        for p in paths:
            if time.time() - t0 > budget_s:
                break
            try:
                node = tree
                for i in p:
                    node = node[i]
            except (IndexError, TypeError):
                continue
            if not isinstance(node, list) or not node or node[0] in (
                    "param", "result", "local", "type", "export", "then", "else"):
                continue
            cands = [delete_at(tree, p)]
            for ch in node[1:]:
                if isinstance(ch, list) and ch and ch[0] not in ("then", "else", "result", "param"):
                    cands.append(replace_at(tree, p, ch))
            for zc in ("(i32.const 0)", "(i64.const 0)", "(f32.const 0)", "(f64.const 0)"):
                if sexp_join(node) != zc:
                    cands.append(replace_at(tree, p, sexp_split(zc)[0]))
            for cand in cands:
                txt = sexp_join(cand)
                if len(txt) < len(sexp_join(tree)) and still_fails(txt):
                    tree = cand
                    changed = True
                    break
    return sexp_join(tree)


def pretty(text):
    """Indents a one-line s-expression for reading (a function's header stays on one line)."""
    out, depth = [], 0
    toks = re.findall(r'"(?:[^"\\]|\\.)*"|\(|\)|[^\s()"]+', text)
    line = ""
    for i, t in enumerate(toks):
        if t == "(":
            nxt = toks[i + 1] if i + 1 < len(toks) else ""
            if line.strip() and depth <= 6 and nxt not in ("param", "result", "local", "type", "export"):
                out.append(line)
                line = "  " * depth
            line += "("
            depth += 1
        elif t == ")":
            line = line.rstrip() + ")"
            depth -= 1
        else:
            line += t + " "
    out.append(line)
    return "\n".join(l.rstrip() for l in out)


def report_failure(tmp, weft, case, name, why, bounds, args):
    mode = "bounds-checks" if bounds else "guard pages"
    print("MISMATCH seed %d export %s (%s mode)" % (case.seed, name, mode))
    print("  wasm-interp: %s" % describe(case.ref.get(name)))
    print("  weft:        %s" % why)
    fname = name[3:] if name.startswith("zc_") else name
    if fname != name:
        print("  (the checksum of memory and globals after %s differs)" % fname)
    ftext = dict(case.funcs).get(fname)
    if ftext:
        print("  function:\n    " + "\n    ".join(ftext.splitlines()))
    if args.no_shrink or not ftext:
        print("  module: reproduce with --seed %d --keep DIR" % case.seed)
        return
    # Alone (with the prelude): does it still fail?
    solo = Case(case.seed, case.pre, [(fname, ftext)], [])
    if not mismatch(tmp, weft, solo, name, bounds):
        print("  (does not fail on its own: depends on state left by earlier exports; "
              "reproduce with --seed %d --keep DIR)" % case.seed)
        return
    # Drop helpers/prelude lines it does not need, then shrink the function.
    pre = list(case.pre)
    for _ in range(2):
        for i in range(len(pre) - 1, -1, -1):
            cand = pre[:i] + pre[i + 1:]
            if mismatch(tmp, weft, Case(case.seed, cand, [(fname, ftext)], []), name, bounds):
                pre = cand

    def still(txt):
        return mismatch(tmp, weft, Case(case.seed, pre, [(fname, txt)], []), name, bounds) is not None
    small = shrink_func(ftext, still, args.shrink_seconds)
    final = Case(case.seed, pre, [(fname, small)], [])
    why2 = mismatch(tmp, weft, final, name, bounds)
    print("  shrunk module (%s mode):" % mode)
    print("    " + "\n    ".join(module_text(pre, [(fname, pretty(small))], []).splitlines()))
    print("  shrunk: wasm-interp %s; weft: %s" % (describe(final.ref.get(name)), why2))
    if args.keep:
        out = os.path.join(args.keep, "shrunk-%d-%s.wast" % (case.seed, name))
        with open(out, "w") as f:
            f.write(module_text(pre, [(fname, pretty(small))], []))
            for n in final.order():
                if n in final.ref:
                    f.write(assertion(n, final.ref[n]) + "\n")
        print("  written to %s" % out)


# ---------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", help="seed range A:B (B exclusive)")
    ap.add_argument("--seed", type=int, help="one seed")
    ap.add_argument("--count", type=int, help="seeds 1..N (or from a time-based start with --random)")
    ap.add_argument("--random", action="store_true", help="start --count at a random seed")
    ap.add_argument("--funcs", type=int, default=12, help="exported functions per module")
    ap.add_argument("--batch", type=int, default=40, help="modules per .wast script")
    ap.add_argument("--weft-spec", default=None, help="the weft-spec executable")
    ap.add_argument("--modes", default="fast,bounds", help="fast,bounds or one of them")
    ap.add_argument("--keep", help="keep the generated .wat/.wast files in DIR")
    ap.add_argument("--no-shrink", action="store_true")
    ap.add_argument("--shrink-seconds", type=float, default=40)
    ap.add_argument("--max-reports", type=int, default=5)
    args = ap.parse_args()

    if args.seed is not None:
        seeds = [args.seed]
    elif args.seeds:
        a, b = args.seeds.split(":")
        seeds = list(range(int(a), int(b)))
    else:
        n = args.count or 100
        start = int(time.time()) % 1000000 * 1000 if args.random else 1
        seeds = list(range(start, start + n))
    spec = args.weft_spec
    if not spec:
        here = os.path.dirname(os.path.abspath(__file__))
        spec = os.path.join(here, "..", "..", "build", "weft-spec")
    for tool in ("wat2wasm", "wasm-interp", "wast2json"):
        if not shutil.which(tool):
            print("difftest: %s (wabt) not found" % tool)
            print("0 passed, 1 failed")
            return 1
    weft = Weft(spec)
    modes = [m == "bounds" for m in args.modes.split(",")]
    tmp = args.keep or tempfile.mkdtemp(prefix="difftest-")
    os.makedirs(tmp, exist_ok=True)
    t0 = time.time()
    passed = failed = 0
    nfuncs = 0
    reports = 0
    try:
        cases = []
        for s in seeds:
            g = Gen(s, args.funcs)
            pre, funcs, post = g.module()
            c = Case(s, pre, funcs, post)
            wat = os.path.join(tmp, "m%d.wat" % s)
            with open(wat, "w") as f:
                f.write(c.text())
            try:
                c.ref = reference(wat, os.path.join(tmp, "m%d.wasm" % s))
            except ToolError as e:
                print("GENERATOR/REFERENCE ERROR seed %d: %s" % (s, e))
                failed += 1
                continue
            except subprocess.TimeoutExpired:
                print("seed %d: wasm-interp timed out; skipped" % s)
                continue
            if not args.keep:
                os.unlink(wat)
                os.unlink(os.path.join(tmp, "m%d.wasm" % s))
            nfuncs += len(c.ref)
            cases.append(c)
        batches = [cases[i:i + args.batch] for i in range(0, len(cases), args.batch)]
        paths, wheres = [], {}
        for bi, b in enumerate(batches):
            p = os.path.join(tmp, "batch%d.wast" % bi)
            wheres[os.path.basename(p)] = write_wast(p, b)
            paths.append(p)
        for bounds in modes if paths else []:
            fails, p, f = weft.run(paths, bounds)
            passed += p
            failed += f
            seen = {}   # seed -> later failures in that module (often consequences of the first)
            for (fn, line), why in sorted(fails.items(), key=lambda x: (x[0][0], x[0][1])):
                where = wheres.get(fn, {})
                if line in where:
                    case, name = where[line]
                else:
                    # a crash/timeout: the command at or before that line
                    prior = [l for l in where if l <= line] if line else []
                    if not prior:
                        print("FAIL %s (%s): %s" % (fn, "bounds" if bounds else "fast", why))
                        continue
                    case, name = where[max(prior)]
                if case.seed in seen:
                    seen[case.seed] += 1
                    continue
                seen[case.seed] = 0
                if reports < args.max_reports:
                    reports += 1
                    report_failure(tmp, weft, case, name, why, bounds, args)
                else:
                    print("MISMATCH seed %d export %s (%s): %s" % (case.seed, name,
                                                                   "bounds" if bounds else "fast", why))
            if seen:
                print("%s mode: %d failed assertions in %d modules (seeds %s); each module's first "
                      "is reported, later ones may be its consequences" % (
                          "bounds-checks" if bounds else "guard pages", f, len(seen),
                          " ".join(str(x) for x in sorted(seen)[:40]) + (" ..." if len(seen) > 40 else "")))
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    print("difftest: %d seeds, %d exported functions, modes %s, %.1f s" % (
        len(seeds), nfuncs, args.modes, time.time() - t0))
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
