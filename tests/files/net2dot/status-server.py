#!/usr/bin/env python3
"""status-server.py SOCK FILE: a stand-in for a conlink daemon's control
socket that answers every {"cmd": "status"} line with FILE's JSON (one
line), for net2dot --live tests without a daemon. Runs until killed."""
import json
import os
import socket
import sys

sock_path, status_file = sys.argv[1], sys.argv[2]
with open(status_file) as f:
    answer = (json.dumps(json.load(f)) + "\n").encode()
s = socket.socket(socket.AF_UNIX)
s.bind(sock_path)
s.listen(4)
while True:
    c, _ = s.accept()
    req = c.makefile("rb").readline()
    if json.loads(req).get("cmd") == "status":
        c.sendall(answer)
    c.close()
