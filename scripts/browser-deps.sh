#!/usr/bin/env bash
# Make sure the browser tests can run: Debian's Chromium (Playwright drives it through
# executable_path; `playwright install` is not used), CJK fonts, without which every Chinese
# label renders as boxes, and Node.js with npm, which installs axe-core (pinned in package.json
# and package-lock.json) into node_modules/: the browser tests run it on every page they visit.
# Installs what is missing with apt-get when run as root; otherwise, or when that fails, stops
# with exit status 1: the browser tests are never skipped silently.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CHROMIUM="${JINGBAN_CHROMIUM:-/usr/bin/chromium}"

have_chromium() { [[ -x "$CHROMIUM" ]]; }
have_cjk_fonts() { command -v fc-list >/dev/null 2>&1 && [[ -n "$(fc-list :lang=zh 2>/dev/null)" ]]; }
have_node() { command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; }

missing() {
    local what=()
    have_chromium || what+=("Chromium at $CHROMIUM")
    have_cjk_fonts || what+=("CJK fonts (fc-list :lang=zh lists none)")
    have_node || what+=("Node.js and npm")
    (( ${#what[@]} )) || return 1
    local IFS=';'
    printf '%s' "${what[*]}"
}

# Every package in node_modules/ is the version package-lock.json pins (and there is one).
node_modules_current() {
    (cd "$ROOT" && node -e '
        const fs = require("fs");
        const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8")).packages;
        const paths = Object.keys(lock).filter((p) => p.startsWith("node_modules/"));
        let ok = paths.length > 0;
        for (const p of paths) {
            try {
                const installed = JSON.parse(fs.readFileSync(p + "/package.json", "utf8"));
                ok = ok && installed.version === lock[p].version;
            } catch (e) {
                ok = false;
            }
        }
        process.exit(ok ? 0 : 1);
    ')
}

# axe-core exactly as package-lock.json pins it; `npm ci` only when node_modules/ differs.
install_node_packages() {
    if node_modules_current; then
        echo "==> browser tests: node_modules/ matches package-lock.json (axe-core)"
        return 0
    fi
    echo "==> browser tests: installing axe-core with npm ci"
    if ! (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error); then
        echo "browser-deps.sh: 'npm ci' could not install package-lock.json into node_modules/" >&2
        exit 1
    fi
    if ! node_modules_current; then
        echo "browser-deps.sh: after 'npm ci', node_modules/ still differs from package-lock.json" >&2
        exit 1
    fi
}

if ! gone="$(missing)"; then
    echo "==> browser tests: Chromium ($CHROMIUM), CJK fonts, Node.js and npm are installed"
    install_node_packages
    exit 0
fi

if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    # Only what is missing: a Node.js from elsewhere may bundle its own npm, which Debian's npm
    # package would conflict with. fc-list, used for the font check, comes with fontconfig.
    PACKAGES=()
    have_chromium || PACKAGES+=(chromium)
    have_cjk_fonts || PACKAGES+=(fonts-noto-cjk)
    command -v fc-list >/dev/null 2>&1 || PACKAGES+=(fontconfig)
    command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs)
    command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)
    echo "==> browser tests: missing ${gone}; installing ${PACKAGES[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    if apt-get update -qq && apt-get install -y -qq "${PACKAGES[@]}" >/dev/null; then
        command -v fc-cache >/dev/null 2>&1 && fc-cache -f >/dev/null 2>&1 || true
    else
        echo "browser-deps.sh: apt-get could not install ${PACKAGES[*]}" >&2
    fi
fi

if gone="$(missing)"; then
    cat >&2 <<EOF
browser-deps.sh: the browser tests need Chromium, CJK fonts, Node.js and npm, and this machine
lacks: ${gone}.
Install them with: apt-get install chromium fonts-noto-cjk nodejs npm
(or point JINGBAN_CHROMIUM at another Chromium executable).
EOF
    exit 1
fi
echo "==> browser tests: installed Chromium ($CHROMIUM), CJK fonts, Node.js and npm"
install_node_packages
