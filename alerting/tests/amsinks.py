"""Local sinks and the config rewrite shared by the live Alertmanager tests.

WebhookSink records every POST (path, Authorization header, JSON body); SmtpSink speaks just enough
ESMTP (EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT) and records every message; rewrite() turns
alerting/alertmanager.yml into a local copy the way the platform does: placeholder URLs to the webhook
sink, the SMTP relay to the SMTP sink without TLS, the secret files to a temporary directory, short
grouping timers.
"""
import base64
import email
import json
import re
import socket
import socketserver
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRETS = {"smtp-password": "smtp-secret", "chat-token": "chat-secret", "pager-token": "pager-secret"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- sinks
class WebhookSink(ThreadingHTTPServer):
    def __init__(self, port):
        super().__init__(("127.0.0.1", port), WebhookHandler)
        self.received = []  # (path, authorization, payload)
        self.lock = threading.Lock()


class WebhookHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with self.server.lock:
            self.server.received.append((self.path, self.headers.get("Authorization"), json.loads(body)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


class SmtpSink(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port):
        super().__init__(("127.0.0.1", port), SmtpHandler)
        self.messages = []  # (auth, rcpts, email.message.Message)
        self.lock = threading.Lock()


class SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough ESMTP for Alertmanager: EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT."""

    def reply(self, line):
        self.wfile.write((line + "\r\n").encode())

    def handle(self):
        self.reply("220 sink ESMTP")
        auth, rcpts = None, []
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode(errors="replace").rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.reply("250-sink")
                self.reply("250-AUTH PLAIN")
                self.reply("250 8BITMIME")
            elif verb == "HELO":
                self.reply("250 sink")
            elif verb == "AUTH":
                parts = line.split(" ")
                if len(parts) == 2:
                    self.reply("334 ")
                    token = self.rfile.readline().decode().strip()
                else:
                    token = parts[2]
                auth = base64.b64decode(token).decode().split("\0")[1:]
                self.reply("235 2.7.0 Authentication successful")
            elif verb == "MAIL":
                rcpts = []
                self.reply("250 OK")
            elif verb == "RCPT":
                rcpts.append(re.search(r"<([^>]*)>", line).group(1))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = []
                while True:
                    l = self.rfile.readline()
                    if l in (b".\r\n", b".\n", b""):
                        break
                    data.append(l[1:] if l.startswith(b"..") else l)
                msg = email.message_from_bytes(b"".join(data))
                with self.server.lock:
                    self.server.messages.append((auth, list(rcpts), msg))
                self.reply("250 OK queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK")


# ---------------------------------------------------------------- config copy
def rewrite(text, tmp, http_port, smtp_port):
    subs = [
        # (pattern, replacement, expected number of occurrences)
        (r"smtp_smarthost: \S+", f"smtp_smarthost: 127.0.0.1:{smtp_port}", 1),
        (r"smtp_require_tls: true", "smtp_require_tls: false", 1),
        (r"https://chat\.example\.com/hooks/ml-platform", f"http://127.0.0.1:{http_port}/chat/ml-platform", 1),
        (r"https://chat\.example\.com/hooks/ml-security", f"http://127.0.0.1:{http_port}/chat/ml-security", 1),
        (r"https://pager\.example\.com/integrations/alertmanager/ml-platform", f"http://127.0.0.1:{http_port}/pager", 1),
        (r"/etc/alertmanager/secrets/", tmp + "/secrets/", 3),
        (r"group_wait: \S+", "group_wait: 1s", 2),
        (r"group_interval: \S+", "group_interval: 2s", 2),
    ]
    for pattern, repl, count in subs:
        text, n = re.subn(pattern, repl, text)
        if n != count:
            sys.exit(f"alertmanager.yml changed shape: '{pattern}' found {n} times, expected {count}; "
                     "update this test and alerting/README.md (Placeholders)")
    return text


def write_secrets(directory):
    """Secret files as a deployment mounts them. Alertmanager 0.25 trims the bearer token files but
    sends the SMTP password file verbatim: that one must not end with a newline (alerting/README.md)."""
    import os
    os.makedirs(directory, exist_ok=True)
    for name, value in SECRETS.items():
        with open(os.path.join(directory, name), "w") as f:
            f.write(value if name == "smtp-password" else value + "\n")


def serve(server):
    """Runs a sink in a daemon thread; returns it."""
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
