#!/usr/bin/env bash
# Create .venv and install jingban into it: the locked dependencies (hash-checked), the project
# itself in editable mode, then the compiled translation catalogs. Safe to run again: a working
# .venv is reused and pip skips what is already installed.
#
#   PYTHON=python3.12 bash scripts/install.sh    # choose the interpreter (default: python3)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3}"
VENV=.venv
MIN_PIP=24

say() { printf '==> %s\n' "$*"; }

# Run a command with its output kept aside, shown only when it fails (pip's build backend warns
# a lot even with -q).
quietly() {
    local log status=0
    log="$(mktemp)"
    "$@" >"$log" 2>&1 || status=$?
    if (( status != 0 )); then
        cat "$log" >&2
        printf 'install.sh: failed (exit %d): %s\n' "$status" "$*" >&2
    fi
    rm -f "$log"
    return "$status"
}
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

# --- the interpreter ---------------------------------------------------------------------------
command -v "$PYTHON" >/dev/null 2>&1 \
    || die "no '$PYTHON' on PATH: install Python 3.11 or newer, or run with PYTHON=/path/to/python3.11"
if ! version="$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)"; then
    die "'$PYTHON' does not run: install Python 3.11 or newer, or run with PYTHON=/path/to/python3.11"
fi
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || die "jingban needs Python >= 3.11, but '$PYTHON' is Python $version: install a newer one and run with PYTHON=/path/to/python3.11"

# --- the virtual environment -------------------------------------------------------------------
venv_ok() {
    [[ -x "$VENV/bin/python" ]] \
        && "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
        && "$VENV/bin/python" -m pip --version >/dev/null 2>&1
}

make_venv() {
    local err
    err="$(mktemp)"
    rm -rf "$VENV"
    if "$PYTHON" -m venv "$VENV" 2>"$err"; then
        rm -f "$err"
        return 0
    fi
    # Keep the reason for the final message, then remove the half-made directory.
    VENV_ERROR="$(cat "$err")"
    rm -f "$err" && rm -rf "$VENV"
    return 1
}

# Debian and Ubuntu ship venv/ensurepip in a separate package.
venv_package() {
    local pkg="python${version}-venv"
    if apt-cache show "$pkg" >/dev/null 2>&1; then echo "$pkg"; else echo python3-venv; fi
}

if venv_ok; then
    say "reusing $VENV ($("$VENV/bin/python" --version))"
else
    say "creating $VENV with $PYTHON (Python $version)"
    VENV_ERROR=""
    if ! make_venv; then
        if "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
            die "'$PYTHON -m venv $VENV' failed:
$VENV_ERROR"
        fi
        if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
            export DEBIAN_FRONTEND=noninteractive
            say "the venv module is missing: installing it with apt-get"
            quietly apt-get update -qq
            pkg="$(venv_package)"
            quietly apt-get install -y -qq "$pkg"
            say "installed $pkg"
            make_venv || die "'$PYTHON -m venv $VENV' still fails after installing $pkg:
$VENV_ERROR"
        else
            die "'$PYTHON' has no working venv/ensurepip module. On Debian or Ubuntu install it with:
    sudo apt-get install python${version}-venv
then run 'make install' again."
        fi
    fi
fi

PIP=("$VENV/bin/python" -m pip --disable-pip-version-check --no-input)

pip_major="$("$VENV/bin/python" -c 'import pip; print(pip.__version__.split(".")[0])')"
if (( pip_major < MIN_PIP )); then
    say "upgrading the venv's pip (was $pip_major.x)"
    quietly "${PIP[@]}" install -q --upgrade "pip>=$MIN_PIP"
fi

# --- the dependencies and the project ----------------------------------------------------------
say "installing the locked dependencies (requirements.lock, hash-checked)"
quietly "${PIP[@]}" install -q --require-hashes -r requirements.lock

say "installing jingban (editable)"
quietly "${PIP[@]}" install -q --no-deps -e .

# --- system libraries for official documents (PDF) -----------------------------------------------
# weasyprint lays out text with Pango (and HarfBuzz, FreeType through it) and embeds the Noto CJK
# fonts, without which Chinese documents cannot be made. Debian package names.
PDF_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk)
have_pango() { ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0'; }
have_cjk_fonts() { command -v fc-list >/dev/null 2>&1 && [[ -n "$(fc-list :lang=zh 2>/dev/null)" ]]; }
if ! have_pango || ! have_cjk_fonts; then
    if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        export DEBIAN_FRONTEND=noninteractive
        say "installing Pango and the Noto CJK fonts for PDF documents with apt-get"
        quietly apt-get update -qq
        quietly apt-get install -y -qq --no-install-recommends "${PDF_PACKAGES[@]}"
    else
        die "official documents (PDF) need Pango and the Noto CJK fonts. On Debian or Ubuntu:
    sudo apt-get install ${PDF_PACKAGES[*]}
then run 'make install' again."
    fi
fi

# --- the translation catalogs ------------------------------------------------------------------
say "compiling the translation catalogs"
"$VENV/bin/jingban" i18n compile

say "done: $("$VENV/bin/python" --version), $("${PIP[@]}" list --format=freeze 2>/dev/null | wc -l) packages in $VENV"
