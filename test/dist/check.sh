#!/bin/sh
# The packed tarball, installed as a new user installs it (make check-dist):
#  1. into an empty directory by npm with a PATH holding node alone (no cc,
#     make or nasm): the install step must find the prebuilt binary;
#  2. that installed package used natively, by the arm64 node under qemu
#     and by the Windows node.exe under wine (test/dist/smoke.js);
#  3. with the prebuilds taken out: with node alone on PATH the install
#     fails with one message naming what is missing, and with the usual
#     PATH it builds from source and works;
#  4. the installed package is under 1 MB.
# Environment: TARBALL, DIST (a scratch directory), NODE, NPM_CLI (npm's
# JavaScript entry), ARM64_NODE and WINE_NODE (commands, may be empty).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
fail () { echo "check-dist: $*" >&2; exit 1; }

bin="$DIST/node-only"
rm -rf "$bin" && mkdir -p "$bin"
ln -s "$(command -v "$NODE")" "$bin/node"
# npm runs install scripts through a shell: named here, so PATH needs none
npm_node_only () {
	env PATH="$bin" node "$NPM_CLI" --offline --no-audit --no-fund --loglevel=error \
		--script-shell=/bin/sh "$@"
}

app="$DIST/app"
rm -rf "$app" && mkdir -p "$app"
echo '{ "name": "app", "private": true }' > "$app/package.json"
(cd "$app" && npm_node_only install "$TARBALL") || fail "npm install with node alone on PATH failed"
cp "$here/smoke.js" "$app/"

echo "# installed with node alone on PATH, run natively"
(cd "$app" && env PATH="$bin" node smoke.js prebuilds)
if [ -n "${ARM64_NODE:-}" ]; then
	echo "# the same installed package, arm64 node under qemu"
	(cd "$app" && $ARM64_NODE smoke.js prebuilds)
fi
if [ -n "${WINE_NODE:-}" ]; then
	echo "# the same installed package, Windows node.exe under wine"
	(cd "$app" && env $WINE_NODE smoke.js prebuilds > wine.log 2>&1) || { cat "$app/wine.log"; fail "under wine"; }
	cat "$app/wine.log"
fi

size=$(du -sb "$app/node_modules/sbffi" | cut -f1)
echo "# installed package: $size bytes"
[ "$size" -lt 1048576 ] || fail "the installed package is $size bytes, over 1 MB"

echo "# no prebuilt binary: the source build"
src="$DIST/src-only"
rm -rf "$src" && mkdir -p "$src"
tar -xzf "$TARBALL" -C "$src"
rm -rf "$src/package/prebuilds"
(cd "$src" && tar -czf source-only.tgz package)
app2="$DIST/app-src"
rm -rf "$app2" && mkdir -p "$app2"
echo '{ "name": "app", "private": true }' > "$app2/package.json"
if (cd "$app2" && npm_node_only install "$src/source-only.tgz") > "$DIST/no-tools.log" 2>&1; then
	fail "with no binary and no compiler, npm install succeeded"
fi
grep -q "building it from source needs .*make.*Install them" "$DIST/no-tools.log" ||
	{ cat "$DIST/no-tools.log"; fail "no clear message naming the missing tools"; }
echo "ok without tools: $(grep -o 'sbffi: no prebuilt binary.*' "$DIST/no-tools.log" | head -1)"
rm -rf "$app2/node_modules"
(cd "$app2" && node "$NPM_CLI" --offline --no-audit --no-fund --loglevel=error install "$src/source-only.tgz") ||
	fail "the source build failed"
[ -f "$app2/node_modules/sbffi/build/sbffi.node" ] || fail "the source build left no build/sbffi.node"
cp "$here/smoke.js" "$app2/"
(cd "$app2" && node smoke.js build)
