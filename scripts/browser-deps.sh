#!/usr/bin/env bash
# Make sure the browser tests can run: Debian's Chromium (Playwright drives it through
# executable_path; `playwright install` is not used) and CJK fonts, without which every Chinese
# label renders as boxes. Installs them with apt-get when run as root; otherwise, or when that
# fails, stops with exit status 1: the browser tests are never skipped silently.
set -euo pipefail

CHROMIUM="${JINGBAN_CHROMIUM:-/usr/bin/chromium}"
PACKAGES=(chromium fonts-noto-cjk)

have_chromium() { [[ -x "$CHROMIUM" ]]; }
have_cjk_fonts() { command -v fc-list >/dev/null 2>&1 && [[ -n "$(fc-list :lang=zh 2>/dev/null)" ]]; }

missing() {
    local what=()
    have_chromium || what+=("Chromium at $CHROMIUM")
    have_cjk_fonts || what+=("CJK fonts (fc-list :lang=zh lists none)")
    (( ${#what[@]} )) || return 1
    local IFS=';'
    printf '%s' "${what[*]}"
}

if ! gone="$(missing)"; then
    echo "==> browser tests: Chromium ($CHROMIUM) and CJK fonts are installed"
    exit 0
fi

if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    # fc-list, used for the font check, comes with fontconfig.
    command -v fc-list >/dev/null 2>&1 || PACKAGES+=(fontconfig)
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
browser-deps.sh: the browser tests need Chromium and CJK fonts, and this machine lacks: ${gone}.
Install them with: apt-get install chromium fonts-noto-cjk
(or point JINGBAN_CHROMIUM at another Chromium executable).
EOF
    exit 1
fi
echo "==> browser tests: installed Chromium ($CHROMIUM) and CJK fonts"
