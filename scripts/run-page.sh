#!/usr/bin/env bash
# Starts the self-service page on a fresh demo store and prints where and how to sign in.
# Usage: scripts/run-page.sh PATH-TO-CLIENTPASS DEMO-FOLDER [HOST:PORT]
# Stop it with Ctrl-C; the store stays in DEMO-FOLDER.
set -euo pipefail
clientpass=$1
folder=$(realpath -m "$2")
listen=${3:-127.0.0.1:8787}
export CLIENTPASS_STORE="$folder/clientpass.sqlite"
password_file="$folder/mailbox-password.txt"

rm -rf "$folder"
"$clientpass" admin init > /dev/null
printf 'demo mailbox password\n' > "$password_file"
chmod 600 "$password_file"
# The shared secret only matters to mail servers; the demo makes a random one.
head -c 24 /dev/urandom | base64 > "$folder/shared-secret"
chmod 600 "$folder/shared-secret"

"$clientpass" admin department add Sales > /dev/null
"$clientpass" admin account add alice@example.com --department Sales --password-stdin < "$password_file" > /dev/null
# Alice is in the help desk too, so the page shows "Devices" (device passwords and their cards).
"$clientpass" admin account set alice@example.com --help-desk > /dev/null
export CLIENTPASS_HELP_DESK="IT help desk, extension 4711"
"$clientpass" admin network add 127.0.0.0/8 --note "This computer" > /dev/null
"$clientpass" password generate --user alice@example.com --label "Outlook on laptop" --password-stdin < "$password_file" > /dev/null
"$clientpass" password generate --user alice@example.com --label "iPhone Mail" --protocols imap,smtp --expires 90d \
    --password-stdin < "$password_file" > /dev/null
# Something for "Activity": a mail client refused from outside the secure networks.
"$clientpass" check --user alice@example.com --protocol imap --from 198.51.100.7 < "$password_file" > /dev/null || true

cat <<MSG

clientpass self-service page on a demo store ($CLIENTPASS_STORE)

    URL:               http://$listen/
    Account:           alice@example.com
    Mailbox password:  demo mailbox password

Third-party clients are blocked except from the secure network 127.0.0.0/8, so "Your access"
says mail clients may connect from this computer. Alice is a member of the help desk: "Devices"
issues passwords for printers and scanners. Stop with Ctrl-C.

MSG
exec "$clientpass" serve --listen "$listen" --shared-secret-file "$folder/shared-secret" \
    --imap-server mail.example.com:993 --smtp-server mail.example.com:587 --pop3-server mail.example.com:995
