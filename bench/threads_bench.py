"""threads_bench.py — the thread rows of `make bench` (imported by bench.py).

Two kinds of kernels in bench/threads/:

Two-thread kernels (see bench/threads/shim.h), run on two host threads:
  atomic_inc  contended seq_cst fetch-add on one counter, n per thread (2n ops)
  pingpong    wait/notify round trips between two threads (n round trips)
Each is compiled to wasm (clang --target=wasm32 -O2 -matomics -mbulk-memory -c, then
wasm-ld --shared-memory in a separate step) and natively (gcc -O2 -pthread with
bench/threads/native_main.c, futex syscalls for wait/notify). The wasm side runs under
build/weft-bench-threads (one instance, two host threads, one weft_exec each).

pthread programs (bench/threads/pt_*.c, see pt_common.h): whole C programs built from the
same source with sdk/bin/weft-cc -O2 -pthread (run as `weft PROG.wasm N`, the pthread
library creating the threads) and with gcc -O2 -pthread:
  pt_create   thread create+join latency (n cycles)
  pt_mutex    uncontended mutex lock/unlock pairs on one thread (n pairs)
  pt_counter  two threads, n mutex-protected increments each (2n)
  pt_condpp   condition-variable ping-pong between two threads (n round trips)

Every driver times only the measured part and prints "SECONDS CHECKSUM"; the checksum
must be the kernel's expected multiple of n. With AOT (bench.py compiles every kernel
with weftc --enable-multi-thread) each kernel also runs from its .aot, the same way.
"""
import math
import os
import statistics
import subprocess

THREADS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "threads")

# name -> (n for the timed run, unit, units per n, kind, checksum per n). kind "pair": a
# two-thread kernel under weft-bench-threads; "prog": a pthread program under weft. Native
# times swing widely on a shared VM (idle cores wake slowly): ~0.1-1 s each.
KERNELS = [
    ("atomic_inc", 20000000, "ops", 2, "pair", 2),
    ("pingpong", 100000, "round trips", 1, "pair", 2),
    ("pt_create", 20000, "create+join", 1, "prog", 1),
    ("pt_mutex", 10000000, "lock/unlock pairs", 1, "prog", 1),
    ("pt_counter", 5000000, "locked increments", 2, "prog", 2),
    ("pt_condpp", 100000, "round trips", 1, "prog", 2),
]
SMOKE_N = {"atomic_inc": 100000, "pingpong": 2000, "pt_create": 200, "pt_mutex": 100000,
           "pt_counter": 20000, "pt_condpp": 2000}
NAMES = [k[0] for k in KERNELS]
KIND = {k[0]: k[4] for k in KERNELS}
CHECK = {k[0]: k[5] for k in KERNELS}
WEFT_CC = os.path.join(os.path.dirname(THREADS_DIR), os.pardir, "sdk", "bin", "weft-cc")



def aot_cells(aot_t, nat_t, aratios):
    """The aot_s and aot_ratio cells of a row (appending the ratio to aratios), and a
    note for the row when weftc produced no .aot ("" otherwise). Shared with bench.py."""
    if aot_t is None:
        return "-", "-", "  (no .aot: weftc failed)"
    aratio = aot_t / nat_t if nat_t > 0 else float("inf")
    aratios.append(aratio)
    return "%.3f" % aot_t, "%.2f" % aratio, ""

def build(out_dir, names, tools, run_cmd):
    """Compiles the named thread kernels; returns {name: (wasm, native)} or raises
    RuntimeError with the failing command's output."""
    cc_wasm, wasm_ld, cc_native = tools
    shim = os.path.join(THREADS_DIR, "shim.h")
    common = os.path.join(THREADS_DIR, "pt_common.h")
    driver = os.path.join(THREADS_DIR, "native_main.c")
    weft_cc = os.path.normpath(WEFT_CC)
    built = {}
    for name in names:
        src = os.path.join(THREADS_DIR, name + ".c")
        obj = os.path.join(out_dir, "threads_" + name + ".o")
        wasm = os.path.join(out_dir, "threads_" + name + ".wasm")
        native = os.path.join(out_dir, "threads_" + name + ".native")
        if KIND[name] == "pair":
            deps = [src, shim, driver, os.path.abspath(__file__)]
            steps = [
                [cc_wasm, "--target=wasm32", "-O2", "-matomics", "-mbulk-memory", "-nostdlib",
                 "-Wall", "-Wextra", "-c", src, "-o", obj],
                [wasm_ld, "--no-entry", "--shared-memory", "--initial-memory=131072",
                 "--max-memory=131072", obj, "-o", wasm],
                [cc_native, "-O2", "-Wall", "-Wextra", "-pthread", src, driver, "-o", native],
            ]
        else:
            deps = [src, common, weft_cc, os.path.abspath(__file__)]
            steps = [
                [weft_cc, "-O2", "-Wall", "-Wextra", "-pthread", src, "-o", wasm],
                [cc_native, "-O2", "-Wall", "-Wextra", "-pthread", src, "-o", native],
            ]
        newest = max(os.path.getmtime(d) for d in deps)
        if not all(os.path.exists(p) and os.path.getmtime(p) >= newest for p in (wasm, native)):
            for cmd in steps:
                r = run_cmd(cmd)
                if r.returncode != 0:
                    raise RuntimeError(r.stdout + r.stderr + "build failed: " + " ".join(cmd))
        built[name] = (wasm, native)
    return built


def weft_cmd(weft, name, wasm, n):
    """The command running kernel `name` under weft."""
    if KIND[name] == "pair":
        return [runner_path(weft), wasm, str(n)]
    return [weft, wasm, str(n)]


def runner_path(weft):
    """weft-bench-threads next to the weft binary, or $WEFT_BENCH_THREADS."""
    return os.environ.get("WEFT_BENCH_THREADS") or os.path.join(
        os.path.dirname(weft), "weft-bench-threads")


def run_once(cmd, timeout):
    """Runs a driver; returns (seconds, checksum) from its "SECONDS CHECKSUM" line."""
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError("exit %d: %s" % (r.returncode, (r.stderr or r.stdout).strip()[-300:]))
    parts = r.stdout.split()
    if len(parts) != 2:
        raise RuntimeError("unexpected output: %r" % r.stdout[-200:])
    return float(parts[0]), int(parts[1])


def smoke(weft, built, aots=None):
    """Runs each thread kernel briefly natively, under weft and (aots: {name: (aot, ...)},
    None without AOT) from its .aot; checksums must be the expected multiple of n.
    Returns (passed, failed)."""
    passed = failed = 0
    for name, (wasm, native) in built.items():
        n = SMOKE_N[name]
        try:
            _, want = run_once([native, str(n)], 60)
            _, got = run_once(weft_cmd(weft, name, wasm, n), 60)
            ok = want == got == CHECK[name] * n
            detail = "native %d, weft %d (want %d)" % (want, got, CHECK[name] * n)
            if aots is not None:
                if name not in aots:
                    ok, detail = False, detail + ", aot: weftc failed"
                else:
                    _, agot = run_once(weft_cmd(weft, name, aots[name][0], n), 60)
                    ok = ok and agot == CHECK[name] * n
                    detail += ", aot %d" % agot
        except (RuntimeError, subprocess.TimeoutExpired, OSError) as e:
            ok, detail = False, str(e)
        print("%-10s %s  %s" % (name, "ok  " if ok else "FAIL", detail))
        passed += ok
        failed += not ok
    return passed, failed


def rate(units):
    for div, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if units >= div:
            return "%.2f%s" % (units / div, suffix)
    return "%.0f" % units


def timed_runs(cmd, runs):
    """Runs a driver once, then up to runs-1 more times (3 in all over 2 s, 1 over 8 s);
    returns (median seconds, first checksum, run count)."""
    wf = [run_once(cmd, 300)]
    wruns = runs if wf[0][0] < 2 else min(runs, 3) if wf[0][0] < 8 else 1
    wf += [run_once(cmd, 300) for _ in range(wruns - 1)]
    return statistics.median(t for t, _ in wf), wf[0][1], len(wf)


def bench(weft, built, runs, only_native, row_fmt, aots=None):
    """Prints the `threads:` rows (with aots, {name: (aot, ...)}, also from the .aot files);
    returns (ok, [interp/native ratios], [aot/native ratios])."""
    ok = True
    ratios = []
    aratios = []
    print("threads:")
    for name, n, unit, per_n, _, check in KERNELS:
        if name not in built:
            continue
        wasm, native = built[name]
        units = n * per_n
        try:
            nat = [run_once([native, str(n)], 120) for _ in range(runs)]
            nat_t = statistics.median(t for t, _ in nat)
            nat_v = nat[0][1]
            if only_native:
                print("%-10s %8d %9.3f %9s %8s %9s %9s %5s  %d  native %s %s/s" % (
                    name, n, nat_t, "-", "-", "-", "-", runs, nat_v, rate(units / nat_t), unit))
                continue
            wf_t, wf_v, nwf = timed_runs(weft_cmd(weft, name, wasm, n), runs)
            aot_t = aot_v = None
            if aots is not None and name in aots:
                aot_t, aot_v, _ = timed_runs(weft_cmd(weft, name, aots[name][0], n), runs)
        except (RuntimeError, subprocess.TimeoutExpired, OSError) as e:
            print("%-10s %8d  error: %s" % (name, n, e))
            ok = False
            continue
        ratio = wf_t / nat_t if nat_t > 0 else float("inf")
        same = wf_v == nat_v == check * n
        why = "" if same else "  MISMATCH: weft gave %d, want %d" % (wf_v, check * n)
        ratios.append(ratio)
        aot_s = aot_r = "-"
        rates = "  native %s, weft %s" % (rate(units / nat_t), rate(units / wf_t))
        if aots is not None:
            aot_s, aot_r, miss = aot_cells(aot_t, nat_t, aratios)
            ok &= not miss
            why += miss
            if aot_t is not None:
                rates += ", aot %s" % rate(units / aot_t)
                if aot_v != check * n:
                    same = False
                    why += "  MISMATCH: aot gave %d, want %d" % (aot_v, check * n)
        ok &= same
        print(row_fmt % (name, n, nat_t, wf_t, ratio, aot_s, aot_r, runs, nwf, str(nat_v), why)
              + rates + " %s/s" % unit)
    return ok, ratios, aratios


def geomean(ratios):
    return math.exp(sum(math.log(r) for r in ratios) / len(ratios))
