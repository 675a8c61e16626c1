#!/usr/bin/env python3
"""bench.py — build the benchmark kernels as wasm and natively, run both, compare.

Every kernel in bench/*.c defines `long long bench(int n)` (and `check()`, bench at a
small size). This script

  1. compiles each kernel to wasm in two separate steps (clang -c with -O2, then wasm-ld
     without optimisation, so the clang driver never runs wasm-opt on the output) and
     natively with gcc -O2 plus bench/native_main.c;
  2. runs each kernel RUNS times natively and up to RUNS times under
     `weft --function bench` (3 times if one run takes over 2 s, once if over 8 s), takes
     the median wall time of each, and checks that both printed the same checksum;
  3. compiles each kernel's wasm ahead of time with weftc (its default opt level; the
     thread kernels with --enable-multi-thread) and times the .aot under weft the same
     way (the `aot_s` column);
  4. prints `kernel  n  native_s  weft_s  ratio  aot_s  aot_ratio  runs  checksum`, then
     under `threads:` the thread rows (threads_bench.py: contended atomic increments and
     wait/notify round trips on two host threads; then pthread programs built with
     weft-cc -pthread and gcc -pthread: create+join, uncontended mutex pairs, a contended
     mutex counter, cond ping-pong; timed inside the programs, with rates both ways), then
     `geomean interp/native: R` and `geomean aot/native: R` over the CPU kernels only,
     `geomean threads interp/native: R` and `geomean threads aot/native: R` over the
     thread rows, and weftc's compile time per kernel (seconds, seconds per MB of wasm).

With --smoke it only runs check() under weft (the .wasm and the weftc-compiled .aot) and
natively and compares the results, and runs the thread kernels briefly all three ways (a
quick differential test, used by `make test`); its last line is `X passed, Y failed`.
--no-aot leaves the AOT runs out.

Environment: WEFT (runner, default build/weft), WEFTC (default weftc next to WEFT),
WEFTC_FLAGS (extra weftc options, e.g. --opt-level=3), BENCH_RUNS (default 5), BENCH_OUT
(build directory for kernels, default build/bench), CC_WASM (default clang), WASM_LD
(default wasm-ld), CC_NATIVE (default gcc), WEFT_BENCH_THREADS (the thread-kernel runner,
default weft-bench-threads next to WEFT).
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no bench/__pycache__ from importing the module below
import threads_bench  # noqa: E402  (bench/threads_bench.py: the thread rows)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_DIR = os.path.join(ROOT, "bench")

# kernel name -> n for the timed run (chosen so the native build takes ~0.2-0.4 s on a
# 2020s x86-64 core; the interpreter is expected to be several times slower).
KERNELS = [
    ("fib", 40),
    ("sieve", 60),
    ("matmul", 500),
    ("sha256", 1000),
    ("nbody", 2000000),
    ("vm", 50000),
    ("strings", 300),
    ("qsort", 12),
]

MASK64 = (1 << 64) - 1


def signed(v):
    """A checksum (kept modulo 2^64) shown as the signed 64-bit value C printed."""
    if v is None:
        return "?"
    return str(v - (1 << 64) if v >= (1 << 63) else v)


def first_tool(*names):
    for n in names:
        if n and shutil.which(n):
            return n
    return None


def run_cmd(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def tools():
    """(clang, wasm-ld, gcc) commands; exits if one is missing."""
    cc_wasm = os.environ.get("CC_WASM") or first_tool("clang", "clang-14")
    wasm_ld = os.environ.get("WASM_LD") or first_tool("wasm-ld", "wasm-ld-14")
    cc_native = os.environ.get("CC_NATIVE") or first_tool("gcc", "cc")
    if not (cc_wasm and wasm_ld and cc_native):
        sys.exit("bench: need clang, wasm-ld and gcc (run scripts/deps.sh)")
    return cc_wasm, wasm_ld, cc_native


def build(out_dir, names):
    """Compiles each kernel; returns {name: (wasm_path, native_path)}. Exits on failure."""
    cc_wasm, wasm_ld, cc_native = tools()
    os.makedirs(out_dir, exist_ok=True)
    header = os.path.join(BENCH_DIR, "kernel.h")
    driver = os.path.join(BENCH_DIR, "native_main.c")
    built = {}
    for name in names:
        src = os.path.join(BENCH_DIR, name + ".c")
        obj = os.path.join(out_dir, name + ".o")
        wasm = os.path.join(out_dir, name + ".wasm")
        native = os.path.join(out_dir, name + ".native")
        deps = [src, header, driver, os.path.abspath(__file__)]
        newest = max(os.path.getmtime(d) for d in deps)
        fresh = all(os.path.exists(p) and os.path.getmtime(p) >= newest for p in (wasm, native))
        if not fresh:
            steps = [
                [cc_wasm, "--target=wasm32", "-O2", "-mbulk-memory", "-nostdlib",
                 "-Wall", "-Wextra", "-c", src, "-o", obj],
                [wasm_ld, "--no-entry", "--export=bench", "--export=check", obj, "-o", wasm],
                [cc_native, "-O2", "-Wall", "-Wextra", src, driver, "-o", native, "-lm"],
            ]
            for cmd in steps:
                r = run_cmd(cmd)
                if r.returncode != 0:
                    sys.stderr.write(r.stdout + r.stderr)
                    sys.exit("bench: build failed: " + " ".join(cmd))
        built[name] = (wasm, native)
    return built


WEFTC_TIME_RE = re.compile(r"([0-9.]+) s total")


def weftc_path(weft):
    """weftc next to the weft binary, or $WEFTC."""
    return os.environ.get("WEFTC") or os.path.join(os.path.dirname(weft), "weftc")


def compile_aot(weftc, wasm, multi_thread=False):
    """Compiles wasm to wasm-with-.aot-suffix with weftc -v; returns (aot_path, seconds
    weftc reported for the whole compilation). Raises RuntimeError if weftc fails."""
    aot = os.path.splitext(wasm)[0] + ".aot"
    cmd = [weftc, "-v"] + os.environ.get("WEFTC_FLAGS", "").split()
    if multi_thread:
        cmd.append("--enable-multi-thread")
    r = run_cmd(cmd + ["-o", aot, wasm], timeout=600)
    if r.returncode != 0:
        raise RuntimeError("weftc failed: " + (r.stderr or r.stdout).strip()[-400:])
    m = WEFTC_TIME_RE.search(r.stderr)
    return aot, float(m.group(1)) if m else float("nan")


def compile_all(weftc, built, tbuilt):
    """Compiles every kernel (CPU and thread) with weftc; returns {name: (aot, secs,
    wasm_bytes)} and prints a failure for each one that does not compile."""
    aots = {}
    for group, multi in ((built, False), (tbuilt, True)):
        for name, (wasm, _) in group.items():
            try:
                aot, secs = compile_aot(weftc, wasm, multi)
                aots[name] = (aot, secs, os.path.getsize(wasm))
            except (RuntimeError, subprocess.TimeoutExpired, OSError) as e:
                print("%-10s weftc error: %s" % (name, e))
    return aots


INT_RE = re.compile(r"-?\d+")


HEX_RE = re.compile(r"(0x[0-9a-fA-F]+):[iu](32|64)\s*$")


def parse_result(text):
    """The checksum a run printed: the last integer on the last non-empty output line
    (accepts `42`, `i64:42`, `42:i64`, `result: 42`, and weft's iwasm-style `0x2a:i64`).
    Normalised modulo 2^64."""
    lines = [l for l in text.strip().splitlines() if l.strip()]
    if not lines:
        return None
    m = HEX_RE.search(lines[-1])
    if m:
        v = int(m.group(1), 16)
        if m.group(2) == "32" and v >= 1 << 31:
            v -= 1 << 32  # i32 results are signed, as the decimal form was
        return v & MASK64
    # Drop a type suffix such as ":i64" before looking for the number.
    last = re.sub(r"[:\s]*[if](32|64)\b", " ", lines[-1])
    nums = INT_RE.findall(last)
    if not nums:
        return None
    return int(nums[-1]) & MASK64


def timed(cmd, timeout):
    t0 = time.perf_counter()
    r = run_cmd(cmd, timeout=timeout)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        raise RuntimeError("exit %d: %s" % (r.returncode, (r.stderr or r.stdout).strip()[-300:]))
    return dt, parse_result(r.stdout)


def weft_cmd(weft, wasm, func, args):
    return [weft, "--function", func, wasm] + [str(a) for a in args]


def smoke(weft, built, tbuilt, aots):
    """check() of every kernel natively, under weft and (aots: {name: (aot, ...)}, or None
    without AOT) from its .aot; then the thread kernels. Returns True if all agree."""
    passed = failed = 0
    for name, (wasm, native) in built.items():
        try:
            _, want = timed([native, "--check"], 60)
            _, got = timed(weft_cmd(weft, wasm, "check", []), 120)
            ok = want is not None and got == want
            detail = "native %s, weft %s" % (signed(want), signed(got))
            if aots is not None:
                if name not in aots:
                    ok, detail = False, detail + ", aot: weftc failed"
                else:
                    _, agot = timed(weft_cmd(weft, aots[name][0], "check", []), 120)
                    ok = ok and agot == want
                    detail += ", aot %s" % signed(agot)
        except (RuntimeError, subprocess.TimeoutExpired, OSError) as e:
            ok, detail = False, str(e)
        print("%-10s %s  %s" % (name, "ok  " if ok else "FAIL", detail))
        passed += ok
        failed += not ok
    p, f = threads_bench.smoke(weft, tbuilt, aots)
    passed += p
    failed += f
    print("%d passed, %d failed" % (passed, failed))
    return failed == 0


ROW = "%-10s %8d %9.3f %9.3f %8.2f %9s %9s %2d/%-2d  %s%s"
HEADER = "%-10s %8s %9s %9s %8s %9s %9s %5s  %s" % (
    "kernel", "n", "native_s", "weft_s", "ratio", "aot_s", "aot_ratio", "runs", "checksum")


def time_runs(cmd, runs, timeout):
    """Runs cmd once, then again up to runs-1 times (fewer when one run is slow: 3 runs
    over 2 s, 1 over 8 s); returns (median seconds, first checksum, run count)."""
    wf = [timed(cmd, timeout)]
    wruns = runs if wf[0][0] < 2 else min(runs, 3) if wf[0][0] < 8 else 1
    wf += [timed(cmd, timeout) for _ in range(wruns - 1)]
    return statistics.median(t for t, _ in wf), wf[0][1], len(wf)


def bench(weft, built, tbuilt, runs, only_native, aots):
    """Prints the timing table; aots is {name: (aot, weftc_s, wasm_bytes)} or None."""
    print(HEADER)
    ratios = []
    aratios = []
    ok = True
    for name, n in KERNELS:
        if name not in built:
            continue
        wasm, native = built[name]
        try:
            nat = [timed([native, str(n)], 120) for _ in range(runs)]
            nat_t = statistics.median(t for t, _ in nat)
            nat_v = nat[0][1]
            if only_native:
                print("%-10s %8d %9.3f %9s %8s %9s %9s %5s  %s" % (
                    name, n, nat_t, "-", "-", "-", "-", runs, signed(nat_v)))
                continue
            # Slow kernels get fewer repetitions, so `make bench` stays within minutes.
            wf_t, wf_v, nwf = time_runs(weft_cmd(weft, wasm, "bench", [n]), runs, 600)
            aot_t = aot_v = None
            if aots is not None and name in aots:
                aot_t, aot_v, _ = time_runs(weft_cmd(weft, aots[name][0], "bench", [n]), runs, 600)
        except (RuntimeError, subprocess.TimeoutExpired, OSError) as e:
            print("%-10s %8d  error: %s" % (name, n, e))
            ok = False
            continue
        ratio = wf_t / nat_t if nat_t > 0 else float("inf")
        same = wf_v == nat_v
        ratios.append(ratio)
        why = "" if same else "  MISMATCH: weft gave %s" % signed(wf_v)
        aot_s = aot_r = "-"
        if aots is not None:
            aot_s, aot_r, miss = threads_bench.aot_cells(aot_t, nat_t, aratios)
            ok &= not miss
            why += miss
            if aot_t is not None and aot_v != nat_v:
                same = False
                why += "  MISMATCH: aot gave %s" % signed(aot_v)
        ok &= same
        print(ROW % (name, n, nat_t, wf_t, ratio, aot_s, aot_r, runs, nwf, signed(nat_v), why))
    tratios, taratios = [], []
    if tbuilt:
        tok, tratios, taratios = threads_bench.bench(weft, tbuilt, runs, only_native, ROW, aots)
        ok &= tok
    # The CPU kernels' geomean stays comparable with earlier runs: thread rows are separate.
    if ratios:
        print("geomean interp/native: %.2f" % threads_bench.geomean(ratios))
    elif not only_native and built:
        print("geomean interp/native: n/a")
    if aratios:
        print("geomean aot/native: %.2f" % threads_bench.geomean(aratios))
    elif aots is not None and built:
        print("geomean aot/native: n/a")
    if tratios:
        print("geomean threads interp/native: %.2f" % threads_bench.geomean(tratios))
    elif not only_native and tbuilt:
        print("geomean threads interp/native: n/a")
    if taratios:
        print("geomean threads aot/native: %.2f" % threads_bench.geomean(taratios))
    elif aots is not None and tbuilt:
        print("geomean threads aot/native: n/a")
    if aots:
        print_compile_times(aots)
    return ok


def print_compile_times(aots):
    """weftc's own compile time per kernel: seconds and seconds per MB of wasm."""
    print("weftc compile time (%s):" % (os.environ.get("WEFTC_FLAGS") or "default options"))
    print("%-10s %9s %9s %9s" % ("kernel", "wasm_KB", "weftc_s", "s_per_MB"))
    tot_s = tot_b = 0
    for name, (_, secs, size) in aots.items():
        print("%-10s %9.1f %9.3f %9.1f" % (name, size / 1e3, secs, secs / (size / 1e6)))
        tot_s += secs
        tot_b += size
    if tot_b:
        print("weftc total: %.1f KB of wasm in %.2f s: %.1f s per MB" % (
            tot_b / 1e3, tot_s, tot_s / (tot_b / 1e6)))


def main():
    sys.stdout.reconfigure(line_buffering=True)  # show each row as soon as it is measured
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--smoke", action="store_true", help="only compare check() results")
    ap.add_argument("--native-only", action="store_true", help="time only the native builds")
    ap.add_argument("--build-only", action="store_true", help="compile the kernels and stop")
    ap.add_argument("--no-aot", action="store_true", help="leave out the weftc-compiled runs")
    ap.add_argument("kernels", nargs="*", help="subset of kernels to run")
    a = ap.parse_args()

    names = [k for k, _ in KERNELS]
    tnames = list(threads_bench.NAMES)
    if a.kernels:
        unknown = [k for k in a.kernels if k not in names + tnames]
        if unknown:
            sys.exit("bench: unknown kernel(s): %s (have: %s)" % (" ".join(unknown), " ".join(names + tnames)))
        names = [k for k in names if k in a.kernels]
        tnames = [k for k in tnames if k in a.kernels]
    out_dir = os.path.abspath(os.environ.get("BENCH_OUT", os.path.join(ROOT, "build", "bench")))
    built = build(out_dir, names)
    try:
        tbuilt = threads_bench.build(out_dir, tnames, tools(), run_cmd)
    except RuntimeError as e:
        sys.stderr.write(str(e) + "\n")
        sys.exit("bench: thread kernels failed to build")
    if a.build_only:
        print("built %d kernels in %s" % (len(built) + len(tbuilt), out_dir))
        return 0
    weft = os.path.abspath(os.environ.get("WEFT", os.path.join(ROOT, "build", "weft")))
    if not a.native_only and not os.access(weft, os.X_OK):
        sys.exit("bench: %s not found; build it first (make)" % weft)
    runs = max(1, int(os.environ.get("BENCH_RUNS", "5")))
    if not a.native_only and tbuilt and not os.access(threads_bench.runner_path(weft), os.X_OK):
        sys.exit("bench: %s not found; build it first (make)" % threads_bench.runner_path(weft))
    aots = None
    if not a.native_only and not a.no_aot:
        weftc = weftc_path(weft)
        if not os.access(weftc, os.X_OK):
            sys.exit("bench: %s not found; build it first (make), or pass --no-aot" % weftc)
        aots = compile_all(weftc, built, tbuilt)
    if a.smoke:
        return 0 if smoke(weft, built, tbuilt, aots) else 1
    return 0 if bench(weft, built, tbuilt, runs, a.native_only, aots) else 1


if __name__ == "__main__":
    sys.exit(main())
