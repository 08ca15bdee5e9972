#!/usr/bin/env python3
"""A local HTTP server that replays recorded streams from Fixtures/ for the client tests.

    python3 replay_server.py FIXTURES_DIR     # prints the port it listens on, then serves

GET or POST /<file under FIXTURES_DIR>?chunk=N&delay=S&cut=B&stall=S&stall_at=B&status=C
  chunk     bytes per write (default 64; 1 writes byte by byte)
  delay     seconds between writes (default 0)
  cut       drop the connection after this many body bytes (no final chunk: a lost connection)
  stall     pause this long once stall_at bytes are written (default: at half the body)
  status    the HTTP status (default 200)
  envelope  serve the file (a plan) as a model streams it: cut into 3-6-byte text deltas (whole
            characters, a fixed seed), one event per write unless chunk is given, as
            openai | ndjson | anthropic | openai-responses | gemini | gemini-json (SSE, NDJSON or a
            JSON array), or openai-tool | anthropic-tool | openai-responses-tool (the plan as the
            arguments of a `save_plan` tool call, after another call), or relay (the relay protocol,
            events with ids, `retry: 20`; a Last-Event-ID header resumes after that event)
  whole     gemini | openai | anthropic | openai-responses | ollama: the provider's whole,
            non-streaming JSON response carrying the plan (application/json)
  from_day  serve, instead of the file (a plan), `{"days": [...]}` with its days from this one on: what
            a model writes when asked to continue a plan
  drop_after  with envelope: drop the connection after this many events, unless the request
            carries Last-Event-ID (a relay that loses its first connection)

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


def deltas(document):
    """The document cut into 3-6-byte text deltas at whole characters (a fixed seed)."""
    rng = random.Random(7)
    out = []
    start = 0
    while start < len(document):
        end = min(start + rng.randint(3, 6), len(document))
        while end < len(document) and document[end] & 0xC0 == 0x80:
            end += 1
        out.append(document[start:end].decode("utf-8"))
        start = end
    return out


def sse(payload, event=None, event_id=None):
    head = b""
    if event:
        head += b"event: " + event.encode() + b"\n"
    if event_id is not None:
        head += b"id: %d\n" % event_id
    data = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    return head + b"data: " + data.encode() + b"\n\n"


def envelopes(document, kind):
    """The document as a list of provider events, one 3-6-byte text delta each."""
    pieces = deltas(document)
    other = ['{"city": ', '"Paris"}']
    if kind == "openai":
        chunk = lambda delta, finish=None: {"id": "chatcmpl-9x", "object": "chat.completion.chunk", "created": 1764300000,
                                            "model": "gpt-4o-mini", "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
        return [sse(chunk({"content": p})) for p in pieces] + [sse(chunk({}, "stop")) + sse("[DONE]")]
    if kind == "openai-tool":
        call = lambda index, function: {"choices": [{"index": 0, "delta": {"tool_calls": [dict(index=index, function=function)]}, "finish_reason": None}]}
        events = [sse(call(0, {"name": "get_weather", "arguments": ""}))] + [sse(call(0, {"arguments": p})) for p in other]
        events += [sse(call(1, {"name": "save_plan", "arguments": ""}))] + [sse(call(1, {"arguments": p})) for p in pieces]
        return events + [sse({"choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]}) + sse("[DONE]")]
    if kind == "ndjson":
        lines = [json.dumps({"model": "llama3.2", "created_at": "2026-11-28T04:00:00Z", "response": p, "done": False}, ensure_ascii=False).encode() + b"\n" for p in pieces]
        return lines + [json.dumps({"model": "llama3.2", "response": "", "done": True, "done_reason": "stop"}).encode() + b"\n"]
    if kind in ("anthropic", "anthropic-tool"):
        a = lambda name, **kw: sse(dict(type=name, **kw), event=name)
        events = [a("message_start", message={"id": "msg_1", "type": "message", "role": "assistant", "content": [], "usage": {"input_tokens": 20, "output_tokens": 1}})]
        if kind == "anthropic":
            events += [a("content_block_start", index=0, content_block={"type": "text", "text": ""})]
            events += [a("content_block_delta", index=0, delta={"type": "text_delta", "text": p}) for p in pieces]
            stop = "end_turn"
        else:
            events += [a("content_block_start", index=0, content_block={"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {}})]
            events += [a("content_block_delta", index=0, delta={"type": "input_json_delta", "partial_json": p}) for p in other]
            events += [a("content_block_stop", index=0), a("content_block_start", index=1, content_block={"type": "tool_use", "id": "toolu_2", "name": "save_plan", "input": {}})]
            events += [a("content_block_delta", index=1, delta={"type": "input_json_delta", "partial_json": p}) for p in pieces]
            stop = "tool_use"
        return events + [a("content_block_stop", index=1), a("ping"), a("message_delta", delta={"stop_reason": stop}, usage={"output_tokens": len(pieces)}) + a("message_stop")]
    if kind in ("openai-responses", "openai-responses-tool"):
        seq = iter(range(1 << 30))
        r = lambda name, **kw: sse(dict(type=name, sequence_number=next(seq), **kw), event=name)
        events = [r("response.created", response={"id": "resp_1", "object": "response", "status": "in_progress"})]
        if kind == "openai-responses":
            events += [r("response.output_text.delta", item_id="msg_1", output_index=0, content_index=0, delta=p) for p in pieces]
            events += [r("response.output_text.done", item_id="msg_1", output_index=0, content_index=0, text=document.decode())]
        else:
            events += [r("response.output_item.added", output_index=0, item={"id": "fc_1", "type": "function_call", "name": "get_weather", "arguments": ""})]
            events += [r("response.function_call_arguments.delta", item_id="fc_1", output_index=0, delta=p) for p in other]
            events += [r("response.output_item.added", output_index=1, item={"id": "fc_2", "type": "function_call", "name": "save_plan", "arguments": ""})]
            events += [r("response.function_call_arguments.delta", item_id="fc_2", output_index=1, delta=p) for p in pieces]
            events += [r("response.function_call_arguments.done", item_id="fc_2", output_index=1, arguments=document.decode())]
        return events + [r("response.completed", response={"id": "resp_1", "object": "response", "status": "completed", "usage": {"total_tokens": 9}})]
    if kind in ("gemini", "gemini-json"):
        items = [{"candidates": [{"content": {"parts": [{"text": p}], "role": "model"}, "finishReason": "STOP", "index": 0}]} for p in pieces]
        if kind == "gemini":
            return [sse(i).replace(b"\n", b"\r\n") for i in items]
        bodies = [json.dumps(i, ensure_ascii=False, indent=2).encode() for i in items]
        return [b"[" + bodies[0]] + [b"\n,\r\n" + b for b in bodies[1:]] + [b"\n]"]
    if kind == "relay":
        plan = json.loads(document)
        events = [b"retry: 20\n\n", sse({"type": "status", "message": "Starting generation..."}, event_id=1),
                  sse({"type": "metadata", "metadata": plan["metadata"]}, event_id=2)]
        for i, day in enumerate(plan["days"]):
            events.append(sse({"type": "day_complete", "day": i + 1, "total": len(plan["days"]), "data": day}, event_id=3 + i))
        events.append(sse({"type": "complete", "days": len(plan["days"]), "plan": {}}, event_id=3 + len(plan["days"])))
        return events
    raise ValueError(kind)


def whole(document, kind):
    """The provider's whole, non-streaming response carrying the document."""
    text = document.decode()
    if kind == "gemini":
        body = {"candidates": [{"content": {"parts": [{"text": text}], "role": "model"}, "finishReason": "STOP"}], "usageMetadata": {"totalTokenCount": 9}}
    elif kind == "openai":
        body = {"object": "chat.completion", "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}]}
    elif kind == "anthropic":
        body = {"type": "message", "role": "assistant", "content": [{"type": "text", "text": text}], "stop_reason": "end_turn"}
    elif kind == "openai-responses":
        body = {"object": "response", "status": "completed", "output": [{"type": "message", "content": [{"type": "output_text", "text": text}]}]}
    else:
        body = {"model": "llama3.2", "message": {"role": "assistant", "content": text}, "done": True, "done_reason": "stop"}
    return json.dumps(body, ensure_ascii=False, indent=2).encode()


def resumed(events, last_event_id):
    """The relay's events after the one with id `last_event_id`."""
    return [e for e in events if not e.startswith(b"id: ") or int(e.split(b"\n")[0][4:]) > last_event_id]


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
        if "from_day" in query:
            days = json.loads(body)["days"][int(query["from_day"]) - 1:]
            body = json.dumps({"days": days}, ensure_ascii=False, indent=2).encode()
        if "whole" in query:
            body = whole(body, query["whole"])
            content_type = "application/json"
        if "envelope" in query:
            kind = query["envelope"]
            pieces = envelopes(body, kind)
            last_event_id = self.headers.get("Last-Event-ID")
            if last_event_id:
                pieces = resumed(pieces, int(last_event_id))
            elif "drop_after" in query:
                query["cut"] = str(len(b"".join(pieces[:int(query["drop_after"])])))
            body = b"".join(pieces)
            content_type = {"ndjson": "application/x-ndjson", "gemini-json": "application/json"}.get(kind, "text/event-stream")
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
