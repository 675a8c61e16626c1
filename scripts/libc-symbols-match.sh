#!/bin/sh
# libc-symbols-match.sh ROOT — fails when the libc-builtin functions weft registers
# (src/libc/libc_builtin.def) and the ones the sysroot declares importable
# (sdk/libc-builtin-sysroot/share/defined-symbols.txt, pthread_* excluded) differ.
root=${1:-$(dirname "$0")/..}
def=$root/src/libc/libc_builtin.def
txt=$root/sdk/libc-builtin-sysroot/share/defined-symbols.txt
for f in "$def" "$txt"; do
  [ -f "$f" ] || { echo "libc-symbols-match: missing $f"; exit 1; }
done
tmp=${TMPDIR:-/tmp}/libc-symbols-match.$$
sed -n 's/^LB(\([A-Za-z0-9_]*\),.*/\1/p' "$def" | sort > "$tmp.def"
grep -v '^pthread_' "$txt" | sed '/^[[:space:]]*$/d' | sort > "$tmp.txt"
if diff "$tmp.def" "$tmp.txt" > "$tmp.diff"; then
  echo "libc-symbols-match: $(wc -l < "$tmp.def") functions agree"
  rm -f "$tmp.def" "$tmp.txt" "$tmp.diff"
  exit 0
fi
echo "libc-symbols-match: libc_builtin.def (<) and defined-symbols.txt (>) differ:"
cat "$tmp.diff"
rm -f "$tmp.def" "$tmp.txt" "$tmp.diff"
exit 1
