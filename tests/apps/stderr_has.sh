# stderr_has.sh — sourced by run-apps.sh, pthread/run-pthread.sh and wasi/run-wasi.sh.
#
# stderr_has LINE FILE: whether FILE has LINE (a fixed substring). With --aot (the caller's
# $weftc is set), an expected backtrace frame "  #N NAME" matches NAME at any frame number,
# with or without an offset: AOT frames carry no "+0x..." and a function the C compiler
# inlined has no frame, which renumbers the frames below it. The interpreter runs keep the
# exact check.
stderr_has() {
  if [[ -n ${weftc:-} && $1 =~ ^\ \ \#[0-9]+\ (.+)$ ]]; then
    awk -v n="${BASH_REMATCH[1]}" '{ if (sub(/^  #[0-9]+ /, "") && ($0 == n || index($0, n "+") == 1)) f = 1 }
      END { exit !f }' "$2"
  else
    grep -qF -- "$1" "$2"
  fi
}
