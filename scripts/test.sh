#!/usr/bin/env bash
# The whole test suite: installs what the tests need besides cargo (Debian's chromium
# and chromium-driver, zsh, man) when missing, then runs `cargo test --locked` with any
# arguments given.
# TQSCORE_SKIP_BROWSER=1 skips the browser test instead (tests/html_browser.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
# What the tests need besides cargo: Chromium (the HTML report's browser test), zsh (`zsh -n` on
# the zsh completions) and man (`man -l` on the man page).
missing=()
[[ -x /usr/bin/chromium || "${TQSCORE_SKIP_BROWSER:-}" == 1 ]] || missing+=(chromium chromium-driver)
command -v zsh >/dev/null || missing+=(zsh)
command -v man >/dev/null || missing+=(man-db)
if [[ ${#missing[@]} -gt 0 ]]; then
    if ! command -v apt-get >/dev/null; then
        echo "scripts/test.sh: ${missing[*]} missing and there is no apt-get to install them;" \
            "install them (or set TQSCORE_SKIP_BROWSER=1 to skip the browser test)" >&2
    elif [[ $(id -u) -ne 0 ]] && ! command -v sudo >/dev/null; then
        echo "scripts/test.sh: ${missing[*]} missing; installing needs root" \
            "(apt-get install -y ${missing[*]}), or set TQSCORE_SKIP_BROWSER=1 to skip the browser test" >&2
    else
        as_root=()
        [[ $(id -u) -ne 0 ]] && as_root=(sudo)
        echo "scripts/test.sh: installing ${missing[*]} for the tests" >&2
        "${as_root[@]}" apt-get update -qq
        DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null ||
            echo "scripts/test.sh: apt-get could not install ${missing[*]} (see above); tests needing them will fail" >&2
    fi
fi
exec cargo test --locked "$@"
