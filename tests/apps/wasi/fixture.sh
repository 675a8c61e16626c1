#!/bin/sh
# fixture.sh DIR — the scratch directory every tests/apps/wasi program runs in (granted to
# the guest with --dir=.): a few text files, nested directories, an empty directory and a
# symbolic link to /etc (an escape attempt).
set -e
d=$1
rm -rf "$d"
mkdir -p "$d/data/sub/deeper" "$d/data/empty"
printf 'the quick brown fox\njumps over\n\nthe lazy dog\n' >"$d/data/a.txt"
printf 'one two  three\tfour\nfive' >"$d/data/b.txt"
i=0
while [ $i -lt 2000 ]; do
  echo "line $i of a longer file with several words on it" >>"$d/data/sub/c.txt"
  i=$((i + 1))
done
printf 'deep\n' >"$d/data/sub/deeper/d.txt"
ln -s /etc "$d/etclink"
ln -s ../../etc/passwd "$d/data/uplink"
