"""The reference endpoint on loopback inside another process (simulator mode, tests).

    ep = EmbeddedEndpoint("/tmp/ep.sqlite3")      # or a postgresql:// URL
    url = ep.start()                              # uvicorn in a daemon thread, port 0 = free port
    ep.register_kiosk("kiosk-1", secret)
    ep.agency_token                               # bearer token for the agency API
    ep.stop()
"""

from __future__ import annotations

import secrets
import socket
import threading
import time

from endpoint.app import create_app
from endpoint.store import Store, open_store


class EmbeddedEndpoint:
    def __init__(self, db: str, host: str = "127.0.0.1", port: int = 0, *,
                 agency_token: str | None = None) -> None:
        self.db = str(db)
        self.host = host
        self.port = port
        self.agency_token = agency_token or secrets.token_urlsafe(24)
        self.base_url: str | None = None
        self.store: Store | None = None
        self._server = None
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None

    def start(self, timeout: float = 10.0) -> str:
        import uvicorn

        if self._thread is not None:
            return self.base_url  # type: ignore[return-value]
        self.store = open_store(self.db)
        self.store.migrate()
        app = create_app(self.store, [self.agency_token])
        # Bind here, so port 0 resolves before the thread starts and the caller gets the URL.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self._sock = sock
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on",
                                timeout_graceful_shutdown=2)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        name="embedded-endpoint", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the embedded endpoint did not start")
            time.sleep(0.01)
        self.base_url = f"http://{self.host}:{self.port}"
        return self.base_url

    def register_kiosk(self, kiosk_id: str, secret: bytes) -> None:
        if self.store is None:
            self.store = open_store(self.db)
            self.store.migrate()
        self.store.register_kiosk(kiosk_id, secret)

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._sock is not None:
            self._sock.close()
        self._thread = self._server = self._sock = None

    def __enter__(self) -> "EmbeddedEndpoint":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
