#!/usr/bin/env python3
"""fake-engine.py SOCKET DIR - a tiny Docker Engine API on a unix socket,
for feeding conlink a recorded or synthesized event stream.

  GET /_ping                  OK
  GET /containers/json        the running containers among DIR/containers/*.json
  GET /vN/libpod/containers/json   while DIR/libpod exists: the same, as
                              Podman's libpod listing (Names, Labels, State,
                              Pid, StartedAt in Unix seconds); without the
                              fields named in DIR/libpod-omit ("ID FIELD" a
                              line) for that entry. Else 404 (not Podman)
  GET /containers/ID/json     DIR/containers/ID.json (by Id, prefix or Name),
                              after the seconds in DIR/inspect-delay if it exists
                              and those in DIR/inspect-delay.d/ID (that one only)
  GET /events                 chunked: every read() of the FIFO DIR/events is
                              sent as one chunk, as it comes (so a test
                              controls how an event is split across reads);
                              reads of at most DIR/events-chunk bytes if it
                              exists (else 65536)
  POST /containers/ID/exec    {"Id": "fake-exec"}
  POST /exec/ID/start         the bytes of DIR/exec-output (Docker's frames or
                              raw), then the connection closes
  GET /exec/ID/json           {"ExitCode": 0}
Every request line is appended to DIR/requests.log; every inspect's key
to DIR/inspects.log with how many inspects had been answered when it came
("KEY ANSWERED").

Faults, each while its file exists:
  DIR/hang                    endpoints named in it, one a line (_ping, list,
                              inspect, events), read the request and never
                              answer (a hung engine) until the name is gone
  DIR/list-body               /containers/json answers 200 with these bytes
  DIR/inspect-body            /containers/ID/json answers 200 with these bytes
"""
import calendar, glob, json, os, socketserver, sys, threading, time
from http.server import BaseHTTPRequestHandler

SOCK, DIR = sys.argv[1], sys.argv[2]
inspects_lock = threading.Lock()
inspects_answered = 0


def containers():
    out = []
    for f in sorted(glob.glob(os.path.join(DIR, "containers", "*.json"))):
        with open(f) as fh:
            out.append(json.load(fh))
    return out


def fault(name):
    path = os.path.join(DIR, name)
    if not os.path.exists(path):
        return None
    with open(path, "rb") as fh:
        return fh.read()


def libpod_list():
    omit = [line.split() for line in
            (fault("libpod-omit") or b"").decode().splitlines() if line.strip()]
    out = []
    for c in containers():
        state = c.get("State", {})
        if not state.get("Running"):
            continue
        e = {"Id": c["Id"], "Names": [c["Name"].lstrip("/")],
             "Labels": c.get("Config", {}).get("Labels") or None,
             "State": "running", "Pid": state.get("Pid"),
             "StartedAt": calendar.timegm(time.strptime(
                 state["StartedAt"][:19], "%Y-%m-%dT%H:%M:%S")),
             "Networks": [], "IsInfra": False}
        for cid, field in omit:
            if cid == c["Id"]:
                e.pop(field, None)
        out.append(e)
    return out


def hung(endpoint):
    text = fault("hang")
    return text is not None and endpoint in text.decode().split()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def log_request_line(self):
        # as it comes, before any answer (a hung endpoint never answers)
        with open(os.path.join(DIR, "requests.log"), "a") as fh:
            fh.write("%s %s\n" % (self.command, self.path))

    def send(self, code, body, ctype="application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def hang(self, endpoint):
        # accepted and read: no answer while the test says so
        while hung(endpoint):
            time.sleep(0.1)

    def do_GET(self):
        self.log_request_line()
        path = self.path.split("?")[0]
        endpoint = ("_ping" if path.endswith("/_ping") else
                    "list" if path.endswith("/containers/json") else
                    "events" if path == "/events" else
                    "inspect" if path.startswith("/containers/") else "")
        self.hang(endpoint)
        if endpoint == "list" and fault("list-body") is not None:
            return self.send(200, fault("list-body"))
        if endpoint == "inspect" and fault("inspect-body") is not None:
            return self.send(200, fault("inspect-body"))
        if path.startswith("/exec/") and path.endswith("/json"):
            return self.send(200, {"ExitCode": 0, "Running": False})
        if path.endswith("/_ping"):
            return self.send(200, b"OK", "text/plain")
        if path.endswith("/libpod/containers/json") and fault("libpod") is not None:
            return self.send(200, libpod_list())
        if path == "/containers/json":
            return self.send(200, [
                {"Id": c["Id"], "Names": [c["Name"]],
                 "Labels": c.get("Config", {}).get("Labels", {}),
                 "State": "running"}
                for c in containers() if c.get("State", {}).get("Running")])
        if path.startswith("/containers/") and path.endswith("/json"):
            return self.inspect(path[len("/containers/"):-len("/json")])
        if path == "/events":
            return self.events()
        return self.send(404, {"message": "not in the fake engine: " + path})

    def inspect(self, key):
        global inspects_answered
        with inspects_lock:
            with open(os.path.join(DIR, "inspects.log"), "a") as fh:
                fh.write("%s %d\n" % (key, inspects_answered))
        try:
            for delay in (os.path.join(DIR, "inspect-delay"),
                          os.path.join(DIR, "inspect-delay.d", key)):
                if os.path.exists(delay):
                    with open(delay) as fh:
                        time.sleep(float(fh.read()))
            for c in containers():
                if c["Id"].startswith(key) or c["Name"].lstrip("/") == key:
                    return self.send(200, c)
            return self.send(404, {"message": "No such container: " + key})
        finally:
            with inspects_lock:
                inspects_answered += 1

    def do_POST(self):
        self.log_request_line()
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        path = self.path.split("?")[0]
        if path.startswith("/containers/") and path.endswith("/exec"):
            return self.send(201, {"Id": "fake-exec"})
        if path.startswith("/exec/") and path.endswith("/start"):
            out = fault("exec-output") or b""
            self.send_response(200)
            self.send_header("Content-Type", "application/vnd.docker.raw-stream")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)
            return
        return self.send(404, {"message": "not in the fake engine: " + path})

    def events(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()
        # O_RDWR: never blocks on open, never sees EOF between writers
        fd = os.open(os.path.join(DIR, "events"), os.O_RDWR)
        chunk = int(fault("events-chunk") or 65536)
        try:
            while True:
                data = os.read(fd, chunk)
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            os.close(fd)


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


if os.path.exists(SOCK):
    os.unlink(SOCK)
Server(SOCK, Handler).serve_forever()
