#!/usr/bin/env bash
# Makes the self-service API's code from openapi.yaml (Sources/ClientPassWeb/API/openapi.yaml)
# with the pinned swift-openapi-generator (scripts/openapi-generator/Package.swift): the server
# side in Sources/ClientPassWeb/API/Generated and the client side (the self-service commands) in
# Sources/clientpass/API/Generated, so that neither can drift from the document.
# The code is committed, so that the product's build needs no generator; `--check` (part of
# `make test`) fails when the committed code is not what the generator makes of it now.
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT="${SWIFT:-swift}"
check=false
if [ "${1:-}" = "--check" ]; then check=true; fi

"$SWIFT" build --package-path scripts/openapi-generator -c release --product swift-openapi-generator >&2
generator="$("$SWIFT" build --package-path scripts/openapi-generator -c release --show-bin-path)/swift-openapi-generator"
document=Sources/ClientPassWeb/API/openapi.yaml
stale=0
for side in Sources/ClientPassWeb/API Sources/clientpass/API; do
    committed="$side/Generated"
    if $check; then
        target="$(mktemp -d)"
    else
        target="$committed"
        rm -rf "$target"
        mkdir -p "$target"
    fi
    # The generator reports its whole configuration; only a failure's report is shown.
    if ! "$generator" generate "$document" --config "$side/openapi-generator-config.yaml" --output-directory "$target" > "$target.log" 2>&1; then
        cat "$target.log" >&2
        rm -f "$target.log"
        exit 1
    fi
    rm -f "$target.log"
    if $check; then
        if ! diff -r "$committed" "$target" > /dev/null 2>&1; then
            echo "$committed is stale: run scripts/generate-api.sh (or make api) and commit the result" >&2
            diff -r "$committed" "$target" | head -20 >&2 || true
            stale=1
        fi
        rm -rf "$target"
    fi
done
if $check; then
    [ $stale -eq 0 ] && echo "the API's generated code matches openapi.yaml"
    exit $stale
fi
