#!/bin/sh
# Instructions per call, counted by callgrind (these machines expose no
# hardware counters). Each implementation runs twice under
# `valgrind --tool=callgrind node --single-threaded`, with N1 and N2 calls
# after the same warm-up; (Ir(N2) - Ir(N1)) / (N2 - N1) cancels start-up,
# JIT warm-up and exit. Fixed hash and random seeds make V8's runs repeat
# to within a few hundred instructions. Informative only, never a gate.
#   sh bench/callgrind.sh [function] [impl...]   (default: add_u32; all)
# Environment: NODE (node), VALGRIND (valgrind), N1 (20000), N2 (120000).
set -e
here=$(cd "$(dirname "$0")" && pwd)
NODE=${NODE:-node}
VALGRIND=${VALGRIND:-valgrind}
N1=${N1:-20000}
N2=${N2:-120000}
NODE_FLAGS="--single-threaded --hash-seed=1 --random-seed=1"
fn=${1:-add_u32}
[ $# -gt 0 ] && shift
impls=${*:-conventional shared sbffi koffi}

command -v "$VALGRIND" >/dev/null 2>&1 || {
	echo "$0: error: $VALGRIND not found (try apt-get install valgrind)" >&2
	exit 1
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# ir IMPL N: total instructions of one run, or nothing if it could not run
ir() {
	"$VALGRIND" --tool=callgrind --callgrind-out-file="$tmp/out" \
		"$NODE" $NODE_FLAGS "$here/cg_calls.js" "$1" "$fn" "$2" \
		>"$tmp/log" 2>&1 || { sed -n '/^==/!p' "$tmp/log" | head -3 >&2; return 0; }
	sed -n 's/^summary: *//p' "$tmp/out"
}

echo "# callgrind: instructions per $fn call, (Ir($N2) - Ir($N1)) / ($N2 - $N1)"
echo "| implementation | Ir($N1) | Ir($N2) | Ir/call | / shared |"
echo "|---|---:|---:|---:|---:|"
rows=
shared=
for impl in $impls; do
	a=$(ir "$impl" "$N1")
	b=
	[ -n "$a" ] && b=$(ir "$impl" "$N2")
	if [ -z "$a" ] || [ -z "$b" ]; then
		rows="$rows$impl - - -
"
		continue
	fi
	per=$(awk -v a="$a" -v b="$b" -v n1="$N1" -v n2="$N2" \
		'BEGIN { printf "%.1f", (b - a) / (n2 - n1) }')
	[ "$impl" = shared ] && shared=$per
	rows="$rows$impl $a $b $per
"
done
printf '%s' "$rows" | awk -v s="$shared" '{
	r = ($4 == "-") ? "skipped" : $4
	q = ($4 == "-" || s == "") ? "-" : sprintf("%.2fx", $4 / s)
	printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, r, q
}'
