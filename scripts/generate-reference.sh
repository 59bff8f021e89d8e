#!/usr/bin/env bash
# Generates the man pages (man/, one per command) and the shell completions (completions/) from
# clientpass's own help, with swift-argument-parser's generate-manual tool and
# `clientpass --generate-completion-script`.
#
#   scripts/generate-reference.sh          regenerate man/ and completions/ (commit the result)
#   scripts/generate-reference.sh --check  fail when the committed files differ from what the
#                                          code generates (run by `make test`); the date line of
#                                          each page is ignored
#
# CLIENTPASS_BIN names a clientpass binary already built (make test's); otherwise a debug build
# is made.
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT="${SWIFT:-swift}"

check=false
if [ "${1:-}" = "--check" ]; then check=true; fi

if [ -n "${CLIENTPASS_BIN:-}" ]; then
    clientpass="$CLIENTPASS_BIN"
else
    "$SWIFT" build --product clientpass >/dev/null
    clientpass="$("$SWIFT" build --show-bin-path)/clientpass"
fi
# The tool is built from the argument parser's own checkout, in debug mode and out of the way.
tools=(--package-path .build/checkouts/swift-argument-parser --scratch-path .build/tools)
"$SWIFT" build "${tools[@]}" --product generate-manual >/dev/null
generate_manual="$("$SWIFT" build "${tools[@]}" --show-bin-path)/generate-manual"

if $check; then
    out="$(mktemp -d)"
    trap 'rm -rf "$out"' EXIT
else
    out=.
    rm -rf man completions
fi
mkdir -p "$out/man" "$out/completions"
# generate-manual drops every character outside ASCII (the en dash of "1–1440", an em dash):
# it is given the help with those characters as ASCII placeholders, and they become the roff
# escapes afterwards (\(en, \(em), which man renders as the characters (or "-" on a terminal
# without them).
wrapper="$(mktemp)"
cat > "$wrapper" <<WRAPPER
#!/usr/bin/env bash
if [ "\$1" = "--experimental-dump-help" ]; then
    "$clientpass" "\$@" | sed -e 's/–/CLIENTPASS-EN-DASH/g' -e 's/—/CLIENTPASS-EM-DASH/g' -e 's/…/.../g' -e 's/→/->/g'
else
    exec "$clientpass" "\$@"
fi
WRAPPER
chmod +x "$wrapper"
"$generate_manual" "$wrapper" --multi-page --section 1 --output-directory "$out/man"
rm -f "$wrapper"
sed -i -e 's/CLIENTPASS-EN-DASH/\\(en/g' -e 's/CLIENTPASS-EM-DASH/\\(em/g' "$out"/man/*.1
# generate-manual leaves the blank lines between paragraphs of a discussion as they are, and
# mdoc wants a paragraph macro there (`man --warnings` complains otherwise).
sed -i 's/^$/.Pp/' "$out"/man/*.1
# A page whose text lists its exit codes keeps them: generate-manual's generic EXIT STATUS
# section ("exits 0 on success, and >0 if an error occurs") would contradict them.
for page in "$out"/man/*.1; do
    if grep -q 'Exit codes:' "$page"; then
        sed -i '/^\.Sh "EXIT STATUS"$/,/^\.Ex -std$/d' "$page"
    fi
done
# The header names the page twice, around the volume, in 80 columns: groff's mdoc cuts a title
# longer than 23 characters to "CLIENTPASS.ADMIN.POLIC...". Such a page is headed by the last
# words of its command that fit ("ACCOUNT.SET-PASSWORD(1)"); its NAME section says the whole
# command. The volume is "General Commands Manual" without groff 1.22's "BSD" before it, and the
# footer names clientpass rather than "BSD".
for page in "$out"/man/*.1; do
    title="$(sed -n 's/^\.Dt \([^ ]*\) 1$/\1/p' "$page")"
    short="$title"
    while [ "${#short}" -gt 23 ] && [ "${short#*.}" != "$short" ]; do short="${short#*.}"; done
    sed -i -e "s/^\.Dt .*/.ds doc-volume-operating-system\n.Dt $short 1/" -e 's/^\.Os$/.Os clientpass/' "$page"
done
# lexgrog (whatis, apropos, and lintian's bad-whatis-entry) cannot read a name with a space in
# the NAME section: there a page is named as its file is ("clientpass.admin.policy"); its
# SYNOPSIS still shows the command as it is typed.
for page in "$out"/man/*.1; do
    name="$(sed -n 's/^\.Nm "\(clientpass [^"]*\)"$/\1/p' "$page" | head -n 1)"
    [ -n "$name" ] || continue
    sed -i -e "s/^\.Nm \"$name\"\$/.Nm ${name// /.}/" -e "s/^\.Nm\$/.Nm \"$name\"/" "$page"
done
"$clientpass" --generate-completion-script bash > "$out/completions/clientpass.bash"
"$clientpass" --generate-completion-script zsh > "$out/completions/_clientpass"
"$clientpass" --generate-completion-script fish > "$out/completions/clientpass.fish"

if $check; then
    stale=""
    for folder in man completions; do
        if ! diff -q <(cd "$folder" 2>/dev/null && ls) <(cd "$out/$folder" && ls) >/dev/null; then
            stale="$stale $folder/ (files added or removed)"
            continue
        fi
        for file in "$out/$folder"/*; do
            name="$folder/$(basename "$file")"
            if ! diff -q <(grep -v '^\.Dd ' "$name") <(grep -v '^\.Dd ' "$file") >/dev/null; then
                stale="$stale $name"
            fi
        done
    done
    if [ -n "$stale" ]; then
        echo "Stale generated reference:$stale" >&2
        echo "The CLI's help changed: run scripts/generate-reference.sh (or make reference) and commit man/ and completions/." >&2
        exit 1
    fi
    echo "man/ and completions/ match the CLI."
fi
