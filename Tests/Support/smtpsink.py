#!/usr/bin/python3
"""A relay MTA for clientpass's end-to-end tests: accepts every message over SMTP and writes it
to FOLDER/N.eml, so a test can see that mail sent through nginx and Dovecot's submission
service really arrived.

usage: smtpsink.py PORT FOLDER
"""
import os
import socketserver
import sys


class Session(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write((line + "\r\n").encode())
        self.wfile.flush()

    def handle(self):
        self.reply("220 sink.test ESMTP")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode(errors="replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250-sink.test")
                self.reply("250 8BITMIME")
            elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                self.reply("250 2.0.0 OK")
            elif verb == "DATA":
                self.reply("354 go ahead")
                lines = []
                while True:
                    data = self.rfile.readline()
                    if not data or data in (b".\r\n", b".\n"):
                        break
                    lines.append(data[1:] if data.startswith(b"..") else data)
                folder = self.server.folder
                name = os.path.join(folder, f"{len(os.listdir(folder)) + 1}.eml")
                with open(name, "wb") as message:
                    message.write(b"".join(lines))
                self.reply("250 2.0.0 queued")
            elif verb == "QUIT":
                self.reply("221 2.0.0 bye")
                return
            else:
                self.reply("502 5.5.2 not implemented")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    os.makedirs(folder, exist_ok=True)
    server = Server(("127.0.0.1", port), Session)
    server.folder = folder
    server.serve_forever()


if __name__ == "__main__":
    main()
