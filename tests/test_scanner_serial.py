"""The serial QR scanner through pyserial on a real pty, against the VirtualScanner."""

from __future__ import annotations

import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.serial.framing import LineFramer, decode_scan
from drivers.serial.hotplug import ScannerWatcher
from drivers.serial.interface import DeviceUnavailableError
from drivers.serial.ports import PortLocator
from drivers.serial.scanner import SerialScanner
from drivers.serial.virtual_scanner import VirtualScanner
from tests.fixtures.serial_pty import wait_until

CCCD = "001090012345|012345678|Nguyễn Văn An|15011990|Nam|Số 1, Phố C, Phường D, Hà Nội|10042021"
CCCD2 = "079301000123||Trần Thị Bình|02032001|Nữ|Tổ 5, Phường X, TP. Hồ Chí Minh|20082024||||"


@pytest.fixture
def scanner(virtual_scanner):
    s = SerialScanner(virtual_scanner.port, partial_timeout=0.2)
    s.open()
    yield s
    s.close()


def _read_all(s: SerialScanner, n: int, timeout: float = 3.0) -> list[bytes]:
    out: list[bytes] = []
    deadline = time.monotonic() + timeout
    while len(out) < n and time.monotonic() < deadline:
        code = s.read_code(0.1)
        if code is not None:
            out.append(code)
    return out


@pytest.mark.parametrize("sent, configured", [
    ("cr", "cr"), ("lf", "lf"), ("crlf", "crlf"),
    ("cr", "auto"), ("lf", "auto"), ("crlf", "auto"),
])
def test_line_endings(virtual_scanner, sent, configured):
    s = SerialScanner(virtual_scanner.port, line_ending=configured)
    s.open()
    try:
        for payload in (CCCD, CCCD2, "https://example.vn/a"):
            virtual_scanner.scan(payload, line_ending=sent)
        codes = _read_all(s, 3)
        assert [c.decode("utf-8") for c in codes] == [CCCD, CCCD2, "https://example.vn/a"]
        assert s.read_code(0.2) is None  # no empty code from the LF of a CRLF
    finally:
        s.close()


def test_utf8_vietnamese_text_and_raw_bytes(scanner, virtual_scanner):
    virtual_scanner.scan(CCCD)
    scan = scanner.read_scan(2)
    assert scan.raw == CCCD.encode("utf-8")
    assert scan.text == CCCD and scan.encoding == "utf-8" and scan.aim_id == ""


def test_aim_identifier_and_bom_are_removed_from_text(scanner, virtual_scanner):
    virtual_scanner.scan(CCCD, aim="]Q1", bom=True)
    scan = scanner.read_scan(2)
    assert scan.aim_id == "]Q1" and scan.text == CCCD
    assert scan.raw.startswith(b"]Q1\xef\xbb\xbf")  # raw stays untouched for the parser


def test_prefix_and_suffix(virtual_scanner):
    s = SerialScanner(virtual_scanner.port, prefix=b"STX", suffix=b"#")
    s.open()
    try:
        virtual_scanner.scan(CCCD, prefix=b"STX", suffix=b"#")
        assert s.read_scan(2).text == CCCD
    finally:
        s.close()


@pytest.mark.parametrize("raw, text, encoding", [
    ("Lê Hà".encode("cp1258"), "Lê Hà", "cp1258"),
    (b"caf\xe9 \xff", "café ÿ", "cp1258"),
    ("Nguyễn".encode("utf-8").decode("latin-1").encode("utf-8"), "Nguyễn",
     "utf-8-double-encoded"),
    ("Lê Hà".encode("utf-8"), "Lê Hà", "utf-8"),
])
def test_other_encodings(raw, text, encoding):
    scan = decode_scan(raw)
    assert (scan.text, scan.encoding) == (text, encoding)


def test_garbage_is_discarded_and_counted(scanner, virtual_scanner):
    virtual_scanner.garbage(32, seed=3)
    virtual_scanner.scan(CCCD)
    virtual_scanner.garbage(8, seed=4)
    virtual_scanner.scan(CCCD2)
    assert [c.decode() for c in _read_all(scanner, 2)] == [CCCD, CCCD2]
    assert scanner.stats.garbage == 2


def test_partial_line_then_silence_is_not_merged(scanner, virtual_scanner):
    virtual_scanner.partial(CCCD, 0.4)  # the cable was jiggled mid-code
    assert scanner.read_code(0.5) is None  # > partial_timeout (0.2 s) of silence
    assert scanner.stats.partial_discarded == 1
    virtual_scanner.scan(CCCD2)
    assert scanner.read_code(2).decode() == CCCD2


def test_overlong_line_is_dropped(virtual_scanner):
    s = SerialScanner(virtual_scanner.port, max_line=64)
    s.open()
    try:
        virtual_scanner.scan("x" * 500)
        virtual_scanner.scan("short")
        assert _read_all(s, 1) == [b"short"]
        assert s.stats.too_long == 1
    finally:
        s.close()


def test_read_times_out_without_data(scanner):
    t0 = time.monotonic()
    assert scanner.read_code(0.3) is None
    assert 0.25 < time.monotonic() - t0 < 2.0


def test_unplug_raises_device_unavailable(scanner, virtual_scanner):
    virtual_scanner.unplug()
    with pytest.raises(DeviceUnavailableError):
        scanner.read_code(1)
    with pytest.raises(DeviceUnavailableError):
        scanner.read_code(1)  # reopening fails: the port is gone
    virtual_scanner.plug()
    virtual_scanner_write_after_open(scanner, virtual_scanner, CCCD)


def virtual_scanner_write_after_open(scanner, virtual_scanner, payload):
    scanner.open()
    virtual_scanner.scan(payload)
    assert scanner.read_code(2).decode() == payload


def test_watcher_follows_unplug_and_replug(virtual_scanner):
    codes: list[str] = []
    states: list[tuple[bool, str | None]] = []
    lock = threading.Lock()

    def on_code(scan):
        with lock:
            codes.append(scan.text)

    s = SerialScanner(virtual_scanner.port)
    w = ScannerWatcher(s, on_code, lambda c, p: states.append((c, p)), retry_interval=0.05,
                       read_slice=0.05)
    w.start()
    try:
        assert wait_until(lambda: w.connected)
        virtual_scanner.scan(CCCD)
        assert wait_until(lambda: codes == [CCCD])
        virtual_scanner.unplug()
        assert wait_until(lambda: not w.connected)
        virtual_scanner.plug()  # a new pty behind the same link
        assert wait_until(lambda: w.connected)
        virtual_scanner.scan(CCCD2)
        assert wait_until(lambda: codes == [CCCD, CCCD2])
        assert [c for c, _ in states] == [True, False, True]
        assert w.reconnects == 1
    finally:
        w.stop()
    assert not w._thread.is_alive()


def test_watcher_finds_scanner_under_another_name(tmp_path):
    first = VirtualScanner(link=tmp_path / "scanner-acm0")
    first.plug()
    codes: list[str] = []
    s = SerialScanner(PortLocator(search=(str(tmp_path / "scanner-acm*"),)))
    w = ScannerWatcher(s, lambda scan: codes.append(scan.text), retry_interval=0.05,
                       read_slice=0.05)
    w.start()
    second = VirtualScanner(link=tmp_path / "scanner-acm1")
    try:
        assert wait_until(lambda: w.connected)
        first.unplug()
        assert wait_until(lambda: not w.connected)
        second.plug()
        assert wait_until(lambda: w.connected and s.port_name == str(second.link))
        second.scan(CCCD)
        assert wait_until(lambda: codes == [CCCD])
    finally:
        w.stop()
        first.unplug()
        second.unplug()


def test_watcher_survives_a_failing_consumer(virtual_scanner):
    seen: list[str] = []

    def consumer(scan):
        seen.append(scan.text)
        if len(seen) == 1:
            raise RuntimeError("consumer bug")

    w = ScannerWatcher(SerialScanner(virtual_scanner.port), consumer, read_slice=0.05)
    w.start()
    try:
        assert wait_until(lambda: w.connected)
        virtual_scanner.scan("a")
        virtual_scanner.scan("b")
        assert wait_until(lambda: seen == ["a", "b"])
    finally:
        w.stop()


@settings(max_examples=60, deadline=None)
@given(payloads=st.lists(st.text(st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")),
                                 min_size=1, max_size=40).filter(lambda t: t.strip()),
                         min_size=1, max_size=5),
       ending=st.sampled_from(["\r", "\n", "\r\n"]),
       cuts=st.lists(st.integers(min_value=1, max_value=300), max_size=6))
def test_framer_is_independent_of_chunking(payloads, ending, cuts):
    stream = "".join(p + ending for p in payloads).encode("utf-8")
    framer = LineFramer("auto", partial_timeout=10)
    got: list[bytes] = []
    pos = 0
    for cut in sorted(cuts) + [len(stream)]:
        got += framer.feed(stream[pos:cut], now=0.0)
        pos = max(pos, cut)
    expected = [p.encode("utf-8").strip(b"\x00\xff\r\n") for p in payloads]
    assert got == [e for e in expected if e]
