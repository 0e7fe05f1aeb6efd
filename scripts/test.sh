#!/usr/bin/env bash
# The whole test suite: installs what the browser test of the HTML report needs
# (Debian's chromium and chromium-driver) when /usr/bin/chromium is missing,
# then runs `cargo test --locked` with any arguments given.
# TQSCORE_SKIP_BROWSER=1 skips the browser test instead (tests/html_browser.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -x /usr/bin/chromium && "${TQSCORE_SKIP_BROWSER:-}" != 1 ]]; then
    if ! command -v apt-get >/dev/null; then
        echo "scripts/test.sh: /usr/bin/chromium is missing and there is no apt-get to install it;" \
            "install Chromium at /usr/bin/chromium, or set TQSCORE_SKIP_BROWSER=1" >&2
    elif [[ $(id -u) -ne 0 ]] && ! command -v sudo >/dev/null; then
        echo "scripts/test.sh: /usr/bin/chromium is missing; installing it needs root" \
            "(apt-get install -y chromium chromium-driver), or set TQSCORE_SKIP_BROWSER=1" >&2
    else
        as_root=()
        [[ $(id -u) -ne 0 ]] && as_root=(sudo)
        echo "scripts/test.sh: installing chromium and chromium-driver for the HTML report's browser test" >&2
        "${as_root[@]}" apt-get update -qq
        DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq chromium chromium-driver >/dev/null ||
            echo "scripts/test.sh: apt-get could not install chromium (see above); the browser test will fail" >&2
    fi
fi
exec cargo test --locked "$@"
