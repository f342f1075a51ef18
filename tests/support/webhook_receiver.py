#!/usr/bin/env python3
"""A real webhook receiver for the monitor tests: verifies each POST's HMAC-SHA256 signature.

Usage: webhook_receiver.py LOG SECRET FAIL_FIRST
  (prints "PORT\n" once listening; stops when stdin closes)

Every POST is checked: X-Clearance-Signature must be "sha256=" + hex HMAC-SHA256(SECRET,
X-Clearance-Timestamp + "." + body), and the body must be JSON. The first FAIL_FIRST well-signed
deliveries are answered 503 (to make the sender retry), later ones 200; a bad signature gets 401.
One JSON line per request is appended to LOG: {"n", "status", "verified", "timestamp", "delivery",
"attempt", "body"} (body parsed, or null).
"""
import hashlib
import hmac
import http.server
import json
import sys
import threading

LOG, SECRET, FAIL_FIRST = sys.argv[1], sys.argv[2].encode(), int(sys.argv[3])
LOCK = threading.Lock()
SEEN = [0, 0]  # requests, well-signed requests


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        stamp = self.headers.get("X-Clearance-Timestamp", "")
        given = self.headers.get("X-Clearance-Signature", "")
        want = "sha256=" + hmac.new(SECRET, stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        verified = bool(stamp) and hmac.compare_digest(given, want)
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed, verified = None, False
        with LOCK:
            SEEN[0] += 1
            if verified:
                SEEN[1] += 1
            status = 401 if not verified else (503 if SEEN[1] <= FAIL_FIRST else 200)
            with open(LOG, "a") as log:
                log.write(json.dumps({"n": SEEN[0], "status": status, "verified": verified, "timestamp": stamp,
                                      "delivery": self.headers.get("X-Clearance-Delivery", ""),
                                      "attempt": self.headers.get("X-Clearance-Attempt", ""),
                                      "content_type": self.headers.get("Content-Type", ""),
                                      "body": parsed}) + "\n")
        reply = b'{"ok": true}' if status == 200 else b'{"ok": false}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()  # the test closes our stdin (or dies) to stop us
server.shutdown()
