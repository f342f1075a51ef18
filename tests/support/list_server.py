#!/usr/bin/env python3
"""A real HTTP server for the `lists update` tests: serves files from ROOT on a free port.

Usage: list_server.py ROOT   (prints "PORT\n" once listening; stops when stdin closes)

Paths:
  /FILE                      the file, with ETag and Last-Modified; answers 304 to a matching
                             If-None-Match or If-Modified-Since
  /truncated/FILE            announces the whole length, sends half, and closes the connection
  /slow/SECONDS/FILE         waits SECONDS before answering
  /type/TYPE/SUBTYPE/FILE    the file with that Content-Type
  /flaky/N/FILE              503 for the first N requests of this path, then the file
  anything else missing      404
Every request is appended to ROOT/requests.log ("METHOD PATH if-none-match if-modified-since").
"""
import email.utils
import hashlib
import http.server
import os
import sys
import threading
import time

ROOT = os.path.abspath(sys.argv[1])
COUNTS = {}
LOCK = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        inm = self.headers.get("If-None-Match", "")
        ims = self.headers.get("If-Modified-Since", "")
        with LOCK:
            with open(os.path.join(ROOT, "requests.log"), "a") as log:
                log.write("GET %s %s %s\n" % (self.path, inm or "-", ims or "-"))
            COUNTS[self.path] = COUNTS.get(self.path, 0) + 1
            count = COUNTS[self.path]
        parts = self.path.lstrip("/").split("/")
        mode, ctype = "plain", None
        if parts[0] == "truncated":
            mode, parts = "truncated", parts[1:]
        elif parts[0] == "slow":
            time.sleep(float(parts[1]))
            parts = parts[2:]
        elif parts[0] == "type":
            ctype, parts = parts[1] + "/" + parts[2], parts[3:]
        elif parts[0] == "flaky":
            if count <= int(parts[1]):
                return self.reply(503, b"busy\n", "text/plain")
            parts = parts[2:]
        path = os.path.join(ROOT, *parts)
        if ".." in parts or not os.path.isfile(path):
            return self.reply(404, b"not found\n", "text/plain")
        with open(path, "rb") as f:
            body = f.read()
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:16]
        mtime = int(os.path.getmtime(path))
        last_modified = email.utils.formatdate(mtime, usegmt=True)
        if inm == etag or (not inm and ims and ims == last_modified):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if ctype is None:
            ext = os.path.splitext(path)[1].lower()
            ctype = {".csv": "text/csv", ".xml": "application/xml", ".json": "application/json",
                     ".txt": "text/plain"}.get(ext, "application/octet-stream")
        headers = {"ETag": etag, "Last-Modified": last_modified}
        if mode == "truncated":
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.reply(200, body, ctype, headers)

    def reply(self, status, body, ctype, headers=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)


class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a client that gave up (the timeout test) is expected


server = Server(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()  # the test closes our stdin (or dies) to stop us
server.shutdown()
