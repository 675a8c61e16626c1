#!/usr/bin/env python3
"""ctest-summary.py — sum the results of the test programs ctest ran.

Reads ctest's full log (BUILD/Testing/Temporary/LastTest.log, which keeps every test's
output, passed or not). For each test, its last "X passed, Y failed[, K skipped]" line
gives its counts; a test without such a line counts as 1 passed or 1 failed by its status,
and a failed test that reported no failures counts one extra failure. Prints one line per
test and finally "N passed, M failed".
Usage: ctest-summary.py BUILD_DIR
"""
import os
import re
import sys

COUNTS = re.compile(r"^(\d+) passed, (\d+) failed(?:, \d+ skipped)?\s*$")


def main():
    log = os.path.join(sys.argv[1], "Testing", "Temporary", "LastTest.log")
    try:
        text = open(log, encoding="utf-8", errors="replace").read()
    except OSError as e:
        print("ctest-summary: %s" % e)
        print("0 passed, 1 failed")
        return 1
    total_p = total_f = 0
    # Each test's record starts with "i/n Testing: NAME".
    for block in re.split(r"^(?=\d+/\d+ Testing: )", text, flags=re.M)[1:]:
        name = re.match(r"\d+/\d+ Testing: (\S+)", block).group(1)
        out = block.split("Output:", 1)[-1].split("<end of output>", 1)[0]
        ok = re.search(r"^Test Passed\.", block, re.M) is not None
        p = f = None
        for line in out.splitlines():
            m = COUNTS.match(line.strip())
            if m:
                p, f = int(m.group(1)), int(m.group(2))
        if p is None:
            p, f = (1, 0) if ok else (0, 1)
        elif not ok and f == 0:
            f = 1
        print("  %-24s %6d passed, %4d failed" % (name, p, f))
        total_p += p
        total_f += f
    print("%d passed, %d failed" % (total_p, total_f))
    return 0 if total_f == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
