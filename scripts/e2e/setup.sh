#!/usr/bin/env bash
# Installs what the end-to-end tests need, outside the repository: Debian's
# Chromium and ripgrep, and code-server (VS Code in the browser) from npm.
# code-server's own postinstall cannot run on these machines (it fetches a
# git dependency from GitHub and a ripgrep binary), so its steps are redone
# here. Reused when already complete; prints the code-server folder.
set -euo pipefail

CODE_SERVER_VERSION=4.96.4
# The registry tarball of this version has the integrity hash that the
# shrinkwrap records for its GitHub URL.
PROXY_AGENT_TARBALL=https://registry.npmjs.org/@vscode/proxy-agent/-/proxy-agent-0.27.0.tgz

cache="${XEN_ALTCALL_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/xen-altcall-e2e}"
dir="$cache/code-server-$CODE_SERVER_VERSION"
done_marker="$dir/.installed"

log() { echo "e2e setup: $*" >&2; }

missing_packages() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v rg >/dev/null || missing+=(ripgrep)
  dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
  command -v g++ >/dev/null && command -v make >/dev/null || missing+=(build-essential)
  command -v python3 >/dev/null || missing+=(python3)
  echo "${missing[@]}"
}

install_system_packages() {
  local missing
  missing="$(missing_packages)"
  [ -z "$missing" ] && return
  if [ "$(id -u)" != 0 ]; then
    log "missing Debian packages: $missing (run as root, or: sudo apt-get install -y $missing)"
    exit 1
  fi
  log "apt-get install $missing"
  apt-get update -qq
  # shellcheck disable=SC2086 # one word per package
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
}

install_code_server() {
  local work="$dir.partial"
  rm -rf "$work"
  mkdir -p "$work"
  log "npm install code-server@$CODE_SERVER_VERSION into $dir (about a minute)"
  (cd "$work" && echo '{"private":true}' >package.json &&
    npm install --no-audit --no-fund --loglevel=error --ignore-scripts "code-server@$CODE_SERVER_VERSION" &&
    # code-server loads argon2 at start even with --auth none; it has no
    # reachable prebuild, so node-pre-gyp falls back to compiling it.
    npm rebuild --loglevel=error argon2)
  local cs="$work/node_modules/code-server"
  node -e '
    const fs = require("fs");
    const file = process.argv[1];
    const shrinkwrap = JSON.parse(fs.readFileSync(file, "utf8"));
    const entry = shrinkwrap.packages["node_modules/@vscode/proxy-agent"];
    if (!entry) throw new Error("no @vscode/proxy-agent entry in " + file);
    entry.resolved = process.argv[2];
    fs.writeFileSync(file, JSON.stringify(shrinkwrap, null, 2));
  ' "$cs/lib/vscode/npm-shrinkwrap.json" "$PROXY_AGENT_TARBALL"
  (cd "$cs/lib/vscode" &&
    npm install --no-audit --no-fund --loglevel=error --omit=dev --ignore-scripts &&
    npm rebuild --loglevel=error kerberos @parcel/watcher @vscode/spdlog @vscode/deviceid native-watchdog node-pty >/dev/null &&
    mkdir -p node_modules/@vscode/ripgrep/bin && ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg &&
    rm -rf node_modules.asar && ln -s node_modules node_modules.asar &&
    (cd bin/remote-cli && ln -sf code-linux.sh code-server) &&
    (cd bin/helpers && ln -sf browser-linux.sh browser.sh) &&
    cd extensions && npm install --no-audit --no-fund --loglevel=error --omit=dev --ignore-scripts)
  rm -rf "$dir"
  mv "$work" "$dir"
  touch "$done_marker"
}

install_system_packages
if [ -f "$done_marker" ]; then
  log "code-server $CODE_SERVER_VERSION already installed in $dir"
else
  install_code_server >&2
fi
echo "$dir"
