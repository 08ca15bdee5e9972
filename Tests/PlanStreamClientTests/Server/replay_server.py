#!/usr/bin/env python3
"""A local HTTP server that replays recorded streams from Fixtures/ for the client tests.

    python3 replay_server.py FIXTURES_DIR     # prints the port it listens on, then serves

GET or POST /<file under FIXTURES_DIR>?chunk=N&delay=S&cut=B&stall=S&stall_at=B&status=C
  chunk     bytes per write (default 64; 1 writes byte by byte)
  delay     seconds between writes (default 0)
  cut       drop the connection after this many body bytes (no final chunk: a lost connection)
  stall     pause this long once stall_at bytes are written (default: at half the body)
  status    the HTTP status (default 200)
  envelope  openai | ndjson: serve the file (a plan) as a model streams it: cut into 3-6-byte
            text deltas (whole characters, a fixed seed), each in its own OpenAI-style SSE event
            or Ollama NDJSON line, one event per write unless chunk is given

Bodies go out with chunked transfer encoding, so a cut is a real protocol error for the client.
"""
import json
import os
import random
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

ROOT = os.path.abspath(sys.argv[1])
TYPES = {".sse": "text/event-stream", ".ndjson": "application/x-ndjson", ".json": "application/json"}


def envelopes(document, kind):
    """The document as a list of provider events, one 3-6-byte text delta each."""
    rng = random.Random(7)
    events = []
    start = 0
    while start < len(document):
        end = min(start + rng.randint(3, 6), len(document))
        while end < len(document) and document[end] & 0xC0 == 0x80:
            end += 1
        delta = document[start:end].decode("utf-8")
        if kind == "openai":
            payload = {"id": "chatcmpl-9x", "object": "chat.completion.chunk", "created": 1764300000,
                       "model": "gpt-4o-mini", "choices": [{"index": 0, "delta": {"content": delta}, "finish_reason": None}]}
            events.append(b"data: " + json.dumps(payload, ensure_ascii=False).encode() + b"\n\n")
        else:
            payload = {"model": "llama3.2", "created_at": "2026-11-28T04:00:00Z", "response": delta, "done": False}
            events.append(json.dumps(payload, ensure_ascii=False).encode() + b"\n")
        start = end
    if kind == "openai":
        final = {"id": "chatcmpl-9x", "object": "chat.completion.chunk", "created": 1764300000, "model": "gpt-4o-mini",
                 "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
        events.append(b"data: " + json.dumps(final).encode() + b"\n\ndata: [DONE]\n\n")
    else:
        events.append(json.dumps({"model": "llama3.2", "response": "", "done": True, "done_reason": "stop"}).encode() + b"\n")
    return events


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.do_GET()

    def do_GET(self):
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        path = os.path.abspath(os.path.join(ROOT, url.path.lstrip("/")))
        if not path.startswith(ROOT) or not os.path.isfile(path):
            self.send_error(404)
            return
        with open(path, "rb") as f:
            body = f.read()
        pieces = None
        content_type = TYPES.get(os.path.splitext(path)[1], "text/plain; charset=utf-8")
        if query.get("envelope") in ("openai", "ndjson"):
            pieces = envelopes(body, query["envelope"])
            body = b"".join(pieces)
            content_type = "text/event-stream" if query["envelope"] == "openai" else "application/x-ndjson"
            if "chunk" in query:
                pieces = None   # fixed-size writes instead of one event per write
        chunk = max(1, int(query.get("chunk", 64)))
        delay = float(query.get("delay", 0))
        cut = int(query["cut"]) if "cut" in query else None
        stall = float(query.get("stall", 0))
        stall_at = int(query.get("stall_at", len(body) // 2))

        self.send_response(int(query.get("status", 200)))
        self.send_header("Content-Type", content_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        sent = 0
        written = 0
        stalled = False
        try:
            while sent < len(body):
                if cut is not None and sent >= cut:
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(2)   # drop it: no terminating chunk
                    return
                end = min(len(body), sent + (len(pieces[written]) if pieces else chunk))
                if cut is not None:
                    end = min(end, cut)
                if stall and not stalled and sent >= stall_at:
                    stalled = True
                    time.sleep(stall)
                piece = body[sent:end]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                self.wfile.flush()
                sent = end
                written += 1
                if delay:
                    time.sleep(delay)
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True   # the client went away (a cancellation test)


ThreadingHTTPServer.request_queue_size = 256   # a hundred clients connect at once
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
