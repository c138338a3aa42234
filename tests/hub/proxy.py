"""A small HTTP-aware fault-injecting proxy between a sync client and a real hub, on loopback.

It reads each request whole, then either forwards it or plays one queued fault on it, and
records what the client sent (to check later that nothing acknowledged was sent again).
Faults (each consumed by one request to the matching path):

- ``cut-mid-request``: half the body goes to the hub, then both connections are closed;
- ``cut-after-commit``: the hub answers (it has committed), the client gets nothing;
- ``500-before``: a 500 from the proxy, the hub never sees the request;
- ``500-after``: the hub answers, the client gets a 500 instead;
- ``timeout``: the hub answers, the client gets nothing until it gives up itself;
- ``reset``: the client's connection is reset (RST) before anything is forwarded;
- ``portal``: a Wi-Fi login page answers 200 with HTML, the hub never sees the request;
- ``hold``: the hub answers and the proxy keeps the answer until ``release()``;
- ``pass``: forwarded untouched (to let requests through before a fault).
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import threading
from collections import deque
from dataclasses import dataclass, field

from firstcontact.sync.envelope import read_header
from firstcontact.sync.wire import ENVELOPES_PATH, b64d


@dataclass
class Request:
    method: str
    path: str
    head: bytes
    body: bytes

    @property
    def raw(self) -> bytes:
        return self.head + self.body

    def envelope_ids(self) -> list[str]:
        if self.path != ENVELOPES_PATH or not self.body:
            return []
        return [read_header(b64d(item)).envelope_id
                for item in json.loads(self.body)["envelopes"]]


def _read_message(sock: socket.socket, buffer: bytearray) -> tuple[bytes, bytes] | None:
    """One HTTP message (head, body) by Content-Length, or None at end of stream."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buffer.extend(chunk)
    end = buffer.index(b"\r\n\r\n") + 4
    head = bytes(buffer[:end])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(buffer) < end + length:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buffer.extend(chunk)
    body = bytes(buffer[end:end + length])
    del buffer[:end + length]
    return head, body


def _reset(sock: socket.socket) -> None:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


_PORTAL = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 47\r\n"
           b"Connection: close\r\n\r\n<html><body>Please log in to Wi-Fi</body></html>")
_ERROR_500 = (b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\n"
              b"Content-Length: 5\r\nConnection: close\r\n\r\noops!")


@dataclass
class FaultProxy:
    upstream_port: int
    requests: list[Request] = field(default_factory=list)
    _faults: deque[tuple[str, str]] = field(default_factory=deque)
    _released: threading.Event = field(default_factory=threading.Event)
    held: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._closing = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def add_fault(self, kind: str, path: str = ENVELOPES_PATH, times: int = 1) -> None:
        with self._lock:
            self._faults.extend([(path, kind)] * times)

    def faults_left(self) -> int:
        return len(self._faults)

    def release(self) -> None:
        self._released.set()

    def sent_envelope_ids(self, since: int = 0) -> list[str]:
        return [i for request in self.requests[since:] for i in request.envelope_ids()]

    def close(self) -> None:
        self._closing = True
        self._released.set()
        # shut down first: a bare close() leaves the socket listening while the accept thread
        # is blocked on it, and a later proxy given the same port would share its connections
        with contextlib.suppress(OSError):
            self._server.shutdown(socket.SHUT_RDWR)
        self._server.close()

    def _accept(self) -> None:
        while not self._closing:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _fault_for(self, path: str) -> str | None:
        with self._lock:
            for index, (fault_path, kind) in enumerate(self._faults):
                if fault_path == path:
                    del self._faults[index]
                    return kind
        return None

    def _serve(self, client: socket.socket) -> None:
        buffer = bytearray()
        try:
            while True:
                message = _read_message(client, buffer)
                if message is None:
                    break
                head, body = message
                method, path = head.split(b" ", 2)[:2]
                request = Request(method.decode(), path.decode().split("?")[0], head, body)
                self.requests.append(request)
                if not self._handle(client, request, self._fault_for(request.path)):
                    break
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                client.close()

    def _handle(self, client: socket.socket, request: Request, fault: str | None) -> bool:
        """Play one request; False when the client connection is done with."""
        if fault == "reset":
            _reset(client)
            return False
        if fault in ("500-before", "portal"):
            client.sendall(_ERROR_500 if fault == "500-before" else _PORTAL)
            return False
        with socket.create_connection(("127.0.0.1", self.upstream_port)) as upstream:
            if fault == "cut-mid-request":
                upstream.sendall(request.head + request.body[:len(request.body) // 2])
                return False
            upstream.sendall(request.raw)
            answer = _read_message(upstream, bytearray())
        if answer is None:
            return False
        if fault == "cut-after-commit":
            return False
        if fault == "500-after":
            client.sendall(_ERROR_500)
            return False
        if fault == "timeout":
            client.recv(1)  # nothing comes: returns when the client gives up and closes
            return False
        if fault == "hold":
            self.held.set()
            self._released.wait()
            return False
        client.sendall(answer[0] + answer[1])
        return True
