#!/usr/bin/env bash
# Makes the self-service API's code from openapi.yaml (Sources/ClientPassWeb/API/openapi.yaml)
# with the pinned swift-openapi-generator (scripts/openapi-generator/Package.swift): the types
# (schemas, operations) once, in Sources/ClientPassAPI/Generated, which both sides use; the
# server side in Sources/ClientPassWeb/API/Generated and the client side (the self-service
# commands) in Sources/clientpass/API/Generated, so that neither can drift from the document.
# The code is committed, so that the product's build needs no generator.
#
#   scripts/generate-api.sh                  regenerate (make api), and record the digests
#   scripts/generate-api.sh --check          fail when the committed code is not what the
#                                            generator makes of it now (make api-check; builds
#                                            the generator, about four minutes)
#   scripts/generate-api.sh --check-digests  fail when the document, the configurations, the
#                                            generator's pin or the generated code changed since
#                                            the last regeneration (make test; a second)
#
# The digests (scripts/openapi-generator/generated.sha256) tie the generated code to its inputs:
# an edited openapi.yaml without `make api`, or an edit by hand to the generated code, fails the
# check.
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT="${SWIFT:-swift}"
document=Sources/ClientPassWeb/API/openapi.yaml
digests=scripts/openapi-generator/generated.sha256
# Every file the generated code depends on or consists of, in a fixed order.
inputs_and_outputs() {
    echo "$document"
    echo scripts/openapi-generator/Package.swift
    for side in Sources/ClientPassAPI Sources/ClientPassWeb/API Sources/clientpass/API; do
        echo "$side/openapi-generator-config.yaml"
        find "$side/Generated" -type f | LC_ALL=C sort
    done
}
check=false
case "${1:-}" in
    --check) check=true ;;
    --check-digests)
        if [ "$(inputs_and_outputs)" != "$(sed 's/^[0-9a-f]*  //' "$digests")" ] || ! sha256sum --check --quiet "$digests" > /dev/null 2>&1; then
            echo "the API's generated code does not match openapi.yaml as last generated:" >&2
            sha256sum --check --quiet "$digests" 2>&1 | head -5 >&2 || true
            echo "run scripts/generate-api.sh (or make api) and commit the result" >&2
            exit 1
        fi
        echo "the API's generated code matches openapi.yaml (digests)"
        exit 0 ;;
esac

"$SWIFT" build --package-path scripts/openapi-generator -c release --product swift-openapi-generator >&2
generator="$("$SWIFT" build --package-path scripts/openapi-generator -c release --show-bin-path)/swift-openapi-generator"
stale=0
for side in Sources/ClientPassAPI Sources/ClientPassWeb/API Sources/clientpass/API; do
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
inputs_and_outputs | xargs sha256sum > "$digests"
echo "regenerated; digests in $digests"
