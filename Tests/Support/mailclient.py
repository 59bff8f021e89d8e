#!/usr/bin/python3
"""One login with Python's own mail clients (imaplib, poplib, smtplib), for clientpass's
end-to-end tests.

usage: mailclient.py PROTOCOL HOST PORT USER [--source ADDRESS] [--forward ADDRESS] [--send TO [--subject S]]
                     [--inbox] [--session] [--starttls CA_FILE | --tls CA_FILE]

The password is the first line of standard input. Exit 0: logged in; 1: the server refused
the login; 2: anything else (connection refused, protocol error).

With --forward the client plays a webmail: before logging in it tells the server the address
of the user it acts for (IMAP ID "x-originating-ip", POP3 and SMTP XCLIENT ADDR), which Dovecot
believes from hosts in its login_trusted_networks.

With --send (SMTP only) the client then sends a message to TO (its subject: --subject) and
prints SENT; a refused message is exit 2.

With --inbox (IMAP only) the client then prints "INBOX: SUBJECT" for each message in the INBOX.

With --starttls the client first turns on TLS (STARTTLS, STLS), checking the server's
certificate against CA_FILE, as a server that requires TLS wants; with --tls (IMAP, POP3) it
speaks TLS from the start, as on ports 993 and 995.

With --session the client stays logged in after printing LOGGED-IN, and answers each line
"NOOP" on standard input with OK (the session works) or CLOSED (the server ended it).
"""
import argparse
import imaplib
import poplib
import smtplib
import socket
import ssl
import sys


def connector(source):
    def create(self, timeout):
        return socket.create_connection((self.host, self.port), timeout, source_address=(source, 0) if source else None)
    return create


class IMAP(imaplib.IMAP4):
    source = None

    def _create_socket(self, timeout):
        return connector(self.source)(self, timeout)


class POP3(poplib.POP3):
    source = None

    def _create_socket(self, timeout):
        return connector(self.source)(self, timeout)


class IMAPS(imaplib.IMAP4_SSL):
    source = None

    def _create_socket(self, timeout):
        return self.ssl_context.wrap_socket(connector(self.source)(self, timeout), server_hostname=self.host)


class POP3S(poplib.POP3_SSL):
    source = None

    def _create_socket(self, timeout):
        return self.context.wrap_socket(connector(self.source)(self, timeout), server_hostname=self.host)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("protocol", choices=["imap", "pop3", "smtp"])
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("user")
    parser.add_argument("--source")
    parser.add_argument("--forward")
    parser.add_argument("--send")
    parser.add_argument("--subject", default="sent through the proxy")
    parser.add_argument("--inbox", action="store_true")
    parser.add_argument("--session", action="store_true")
    parser.add_argument("--starttls", metavar="CA_FILE")
    parser.add_argument("--tls", metavar="CA_FILE")
    args = parser.parse_args()
    tls = None
    implicit = None
    if args.tls:
        implicit = ssl.create_default_context(cafile=args.tls)
        implicit.check_hostname = False
    if args.starttls:
        # The server's certificate is checked against the test CA; its name is mail.test, not
        # the loopback address the client connects to.
        tls = ssl.create_default_context(cafile=args.starttls)
        tls.check_hostname = False
    password = sys.stdin.readline().rstrip("\n")
    try:
        if args.protocol == "imap":
            IMAP.source = IMAPS.source = args.source
            if implicit:
                client = IMAPS(args.host, args.port, ssl_context=implicit, timeout=20)
            else:
                client = IMAP(args.host, args.port, timeout=20)
            if tls:
                client.starttls(ssl_context=tls)
            if args.forward:
                imaplib.Commands["ID"] = ("NONAUTH", "AUTH", "SELECTED")
                typ, data = client._simple_command("ID", f'("x-originating-ip" "{args.forward}")')
                if typ != "OK":
                    print(f"error: ID refused: {data!r}")
                    return 2
            try:
                client.login(args.user, password)
            except imaplib.IMAP4.error as error:
                print(f"refused: {error}")
                return 1
            noop = client.noop
            if args.inbox:
                typ, count = client.select("INBOX", readonly=True)
                if count != [b"0"]:
                    typ, data = client.fetch("1:*", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
                    for item in data:
                        if isinstance(item, tuple):
                            print("INBOX: " + item[1].decode().strip().removeprefix("Subject: "), flush=True)
        elif args.protocol == "pop3":
            POP3.source = POP3S.source = args.source
            if implicit:
                client = POP3S(args.host, args.port, context=implicit, timeout=20)
            else:
                client = POP3(args.host, args.port, timeout=20)
            if tls:
                client.stls(context=tls)
            if args.forward:
                client._shortcmd(f"XCLIENT ADDR={args.forward}")
            try:
                client.user(args.user)
                client.pass_(password)
            except poplib.error_proto as error:
                print(f"refused: {error}")
                return 1
            noop = client.noop
        else:
            client = smtplib.SMTP(args.host, args.port, timeout=20,
                                  source_address=(args.source, 0) if args.source else None)
            client.ehlo("clientpass-test")
            if tls:
                client.starttls(context=tls)
                client.ehlo("clientpass-test")
            if args.forward:
                code, reply = client.docmd("XCLIENT", f"ADDR={args.forward}")
                if code != 220:
                    print(f"error: XCLIENT refused: {code} {reply!r}")
                    return 2
                client.ehlo("clientpass-test")
            # One AUTH PLAIN, as a mail client sends it: smtplib's login() would try the next
            # mechanism after a refusal, on a connection nginx has already closed.
            client.user, client.password = args.user, password
            try:
                client.auth("PLAIN", client.auth_plain)
            except smtplib.SMTPAuthenticationError as error:
                print(f"refused: {error.smtp_code} {error.smtp_error!r}")
                return 1
            noop = client.noop
            if args.send:
                client.sendmail(args.user, [args.send],
                                f"From: {args.user}\r\nTo: {args.send}\r\nSubject: {args.subject}\r\n\r\nHello from the end-to-end test.\r\n")
                print("SENT", flush=True)
    except (OSError, imaplib.IMAP4.error, poplib.error_proto, smtplib.SMTPException) as error:
        print(f"error: {error!r}")
        return 2
    print("LOGGED-IN", flush=True)
    if args.session:
        for line in sys.stdin:
            if line.strip() != "NOOP":
                continue
            try:
                noop()
                print("OK", flush=True)
            except Exception:
                print("CLOSED", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
