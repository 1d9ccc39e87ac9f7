"""An APDU trace for support, as a Transceiver wrapper. It logs at DEBUG on the logger
`drivers.card.apdu`: the command header, Lc/Le, the response length, the status word and the time.

Personal data never reaches the log by default: no data byte is written. The support switch
(`show_data=True`, or KIOSK_APDU_TRACE_DATA=1) adds command bodies and response bodies, but
only up to access control: once a secure-messaging command (CLA bit 0x0C) has been seen, every
response body is masked, because from then on it is the citizen's data.
"""

from __future__ import annotations

import logging
import os
import time

from drivers.card.interface import Transceiver

log = logging.getLogger("drivers.card.apdu")

ENV_SHOW_DATA = "KIOSK_APDU_TRACE_DATA"


def _lengths(apdu: bytes) -> str:
    """'Lc=.. Le=..' from the command's length fields (short and extended forms)."""
    body = apdu[4:]
    if not body:
        return "case1"
    if len(body) == 1:
        return f"Le={body[0] or 256}"
    if body[0] != 0 or len(body) < 3:  # short form
        lc = body[0]
        rest = len(body) - 1 - lc
        return f"Lc={lc}" + (f" Le={body[-1] or 256}" if rest == 1 else "")
    if len(body) == 3:  # extended case 2
        return f"Le={int.from_bytes(body[1:3], 'big') or 65536}"
    lc = int.from_bytes(body[1:3], "big")
    rest = len(body) - 3 - lc
    return f"Lc={lc}" + (f" Le={int.from_bytes(body[-2:], 'big') or 65536}" if rest == 2 else "")


def _body(apdu: bytes) -> bytes:
    body = apdu[4:]
    if len(body) <= 1:
        return b""
    if body[0] != 0:
        return body[1 : 1 + body[0]]
    return body[3 : 3 + int.from_bytes(body[1:3], "big")]


class ApduTrace:
    """Logs every exchange of the wrapped transceiver. Exceptions pass through, logged by type."""

    def __init__(self, inner: Transceiver, show_data: bool | None = None) -> None:
        self.inner = inner
        if show_data is None:
            show_data = os.environ.get(ENV_SHOW_DATA, "") == "1"
        self.show_data = show_data
        self.after_access_control = False
        self.count = 0

    def transmit(self, apdu: bytes) -> bytes:
        if not log.isEnabledFor(logging.DEBUG):
            return self.inner.transmit(apdu)
        self.count += 1
        if len(apdu) >= 4 and apdu[0] & 0x0C:
            self.after_access_control = True
        header = apdu[:4].hex(" ").upper()
        command = f"#{self.count} C: {header} {_lengths(apdu)}"
        if self.show_data and not self.after_access_control and _body(apdu):
            command += f" data={_body(apdu).hex().upper()}"
        start = time.perf_counter()
        try:
            response = self.inner.transmit(apdu)
        except Exception as exc:
            log.debug("%s -> %s", command, type(exc).__name__)
            raise
        ms = (time.perf_counter() - start) * 1000
        sw = response[-2:].hex().upper() if len(response) >= 2 else "--"
        reply = f"R: {max(len(response) - 2, 0)} bytes SW={sw} {ms:.1f} ms"
        if self.show_data and not self.after_access_control and len(response) > 2:
            reply += f" data={response[:-2].hex().upper()}"
        log.debug("%s -> %s", command, reply)
        return response
