#!/usr/bin/env bash
# The code's layout, as .swift-format says (swift format, which ships with the toolchain):
#
#   scripts/format.sh          formats every Swift file of Sources/ and Tests/ in place (make format)
#   scripts/format.sh --check  fails, naming each place, where a file is not formatted (make test)
#
# The API's generated code (API/Generated) is left as the generator writes it.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find Sources Tests -name '*.swift' -not -path '*/Generated/*' | sort)
case "${1:-}" in
    ""|--check) ;;
    *) echo "usage: scripts/format.sh [--check]" >&2; exit 64 ;;
esac
if [ "${1:-}" = "--check" ]; then
    if ! output=$(${SWIFT:-swift} format lint --strict --configuration .swift-format "${files[@]}" 2>&1) || [ -n "$output" ]; then
        printf '%s\n' "$output" | head -50 >&2
        echo "the code is not formatted as .swift-format says: run make format" >&2
        exit 1
    fi
    echo "every Swift file is formatted as .swift-format says"
else
    ${SWIFT:-swift} format format --in-place --configuration .swift-format "${files[@]}"
fi
