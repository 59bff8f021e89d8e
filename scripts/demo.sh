#!/usr/bin/env bash
# Shows clientpass working on a fresh demo store: the commands an administrator and an employee
# run, each printed before its output. Usage: scripts/demo.sh PATH-TO-CLIENTPASS DEMO-FOLDER
set -euo pipefail
clientpass=$1
folder=$(realpath -m "$2")
export CLIENTPASS_STORE="$folder/clientpass.sqlite"
password_file="$folder/mailbox-password.txt"

rm -rf "$folder"
mkdir -p "$(dirname "$folder")"

step() {
    printf '\n\033[1m$ clientpass'
    printf ' %q' "${@:2}"
    printf '\033[0m\n'
    "$@"
}

echo "Demo store: $CLIENTPASS_STORE"
step "$clientpass" admin init
mkdir -p "$folder" && printf 'demo mailbox password\n' > "$password_file" && chmod 600 "$password_file"
step "$clientpass" admin department add Sales
echo
echo "(alice's mailbox password, 'demo mailbox password', is read from $password_file)"
step "$clientpass" admin account add alice@example.com --department Sales --password-stdin < "$password_file"
step "$clientpass" password generate --user alice@example.com --label "Outlook on laptop" --password-stdin < "$password_file"
step "$clientpass" password generate --user alice@example.com --label "iPhone Mail" --protocols imap,smtp --password-stdin < "$password_file"
step "$clientpass" password generate --user alice@example.com --label "Old laptop" --expires 30d --password-stdin < "$password_file"
step "$clientpass" password list --user alice@example.com --password-stdin < "$password_file"
step "$clientpass" password label --user alice@example.com 3 "Outlook (old laptop)" --password-stdin < "$password_file"
step "$clientpass" password revoke --user alice@example.com 3 --password-stdin < "$password_file"
step "$clientpass" access --user alice@example.com --password-stdin < "$password_file"

echo
echo "Now the mail server's question: may alice log in over IMAP from 198.51.100.7?"
step "$clientpass" check --user alice@example.com --protocol imap --from 198.51.100.7 < "$password_file" || true
step "$clientpass" explain --user alice@example.com --protocol imap --from 198.51.100.7
step "$clientpass" admin network add 10.0.3.0/24 --note "Head office"
step "$clientpass" check --user alice@example.com --protocol imap --from 10.0.3.25 < "$password_file"
step "$clientpass" admin policy enforce-secure-password on --scope all
step "$clientpass" check --user alice@example.com --protocol imap --from 10.0.3.25 < "$password_file" || true
step "$clientpass" admin policy show
step "$clientpass" admin audit --limit 6
cat <<MSG

The demo store stays in $folder. Try it yourself, for example:
    export CLIENTPASS_STORE=$CLIENTPASS_STORE
    $clientpass password generate --user alice@example.com --label "My phone"
(it asks for alice's mailbox password without echo: demo mailbox password)
MSG
