#!/bin/sh
# Vendors uPlot (the console's one chart library) at a pinned version from the npm registry,
# checks the tarball against the registry's sha512 integrity, and copies the ES module, its CSS
# and its licence into adapters/http/static/console/. Re-run after changing VERSION/INTEGRITY.
set -eu
VERSION=1.6.32
INTEGRITY="sha512-KIMVnG68zvu5XXUbC4LQEPnhwOxBuLyW1AHtpm6IKTXImkbLgkMy+jabjLgSLMasNuGGzQm/ep3tOkyTxpiQIw=="
HERE=$(cd "$(dirname "$0")/.." && pwd)
DEST="$HERE/adapters/http/static/console"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm pack --silent "uplot@$VERSION" >/dev/null
TARBALL="uplot-$VERSION.tgz"
GOT="sha512-$(openssl dgst -sha512 -binary "$TARBALL" | base64 | tr -d '\n')"
if [ "$GOT" != "$INTEGRITY" ]; then
  echo "integrity mismatch for $TARBALL: $GOT" >&2
  exit 1
fi
tar -xzf "$TARBALL"
cp package/dist/uPlot.esm.js "$DEST/uPlot.esm.js"
cp package/dist/uPlot.min.css "$DEST/uPlot.min.css"
cp package/LICENSE "$DEST/uPlot.LICENSE.txt"
echo "uPlot $VERSION vendored into $DEST"
