"""The kiosk's configuration: one TOML file, every key documented with its default.

Where the file comes from, first match wins: `--config PATH`, the environment variable
KIOSK_CONFIG, `~/.config/vn-kiosk/kiosk.toml` when it exists, else the defaults alone.
`--simulate` swaps every driver for its simulator; `--set section.key=value` overrides any one
key afterwards (so `--simulate --set card.driver=pcsc` runs a real reader with simulated rest).

`kiosk config defaults` prints the whole documented file (docs/kiosk.example.toml is that output).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.errors import ConfigError

PROFILES = ("public-admin", "hospital", "lodging")


@dataclass(frozen=True)
class Key:
    """One configuration key: its default, its type, its allowed values and what it is for."""

    default: Any
    doc: str
    choices: tuple[str, ...] = ()
    minimum: float | None = None

    @property
    def kind(self) -> type:
        return type(self.default)

    def expected(self) -> str:
        if self.choices:
            return "one of " + ", ".join(f'"{c}"' for c in self.choices)
        names = {str: "a string", int: "a whole number", float: "a number", bool: "true or false",
                 list: "a list of strings"}
        text = names[self.kind]
        if self.minimum is not None:
            text += f" not below {self.minimum:g}"
        return text


SIMULATOR = "simulator"

SCHEMA: dict[str, dict[str, Key]] = {
    "kiosk": {
        "id": Key("kiosk-dev-01", "This kiosk's identifier at the service endpoint."),
        "profile": Key("public-admin", "Deployment profile: chooses which procedures are offered.",
                       PROFILES),
        "language": Key("vi", "Language shown first; the citizen can switch on every screen.",
                        ("vi", "en")),
        "data_dir": Key("~/.local/share/vn-kiosk", "Folder for the outbox, keys and logs."),
        "idle_timeout_seconds": Key(90, "Seconds without a touch before the session is wiped.",
                                    minimum=10),
        "fullscreen": Key(False, "Kiosk mode: fullscreen, no window decorations."),
        "operator_panel": Key(False, "Show the simulator operator panel (simulator mode only)."),
    },
    "card": {
        "driver": Key("pcsc", "Card reader driver.", ("pcsc", SIMULATOR)),
        "reader": Key("", "Part of the reader name to use; empty picks the first reader."),
        "trust_store": Key("", "Folder of CSCA certificates or an ICAO master list; empty: none."),
        "simulator_profiles": Key("assets/simulator/cards",
                                  "Folder of JSON card profiles the simulator offers."),
    },
    "camera": {
        "driver": Key("opencv", "Camera driver.", ("opencv", SIMULATOR, "none")),
        "device": Key("0", "Camera: an index, a device path or a stream URL."),
        "width": Key(1280, "Capture width in pixels.", minimum=160),
        "height": Key(720, "Capture height in pixels.", minimum=120),
        "fps": Key(15, "Frames per second to capture.", minimum=1),
        "simulator_source": Key("assets/simulator/camera",
                                "Image, folder or video file the simulated camera replays."),
    },
    "scanner": {
        "driver": Key("none", "Hand-held QR scanner in serial mode.", ("serial", SIMULATOR, "none")),
        "port": Key("", "Serial port, e.g. /dev/ttyACM0; empty: search by USB id."),
        "baudrate": Key(9600, "Serial speed.", minimum=1200),
        "line_ending": Key("auto", "How the scanner ends a code.", ("auto", "cr", "lf", "crlf")),
        "search": Key([], "Glob patterns tried when the port is absent, e.g. /dev/ttyACM*."),
        "usb_id": Key("", "USB VID:PID of the scanner (hex, e.g. 0c2e:0b61), searched last."),
        "partial_timeout_ms": Key(500, "Silence after which a code without its line ending is "
                                       "dropped.", minimum=50),
    },
    "printer": {
        "driver": Key("none", "Receipt and ticket printer.", ("escpos-serial", SIMULATOR, "none")),
        "port": Key("", "Serial port of the printer."),
        "baudrate": Key(19200, "Serial speed.", minimum=1200),
        "width_dots": Key(576, "Printable width in dots (576 for 80 mm, 384 for 58 mm).",
                          minimum=200),
        "search": Key([], "Glob patterns tried when the port is absent, e.g. /dev/ttyUSB*."),
        "usb_id": Key("", "USB VID:PID of the printer (hex, e.g. 0416:5011), searched last."),
        "qr_mode": Key("native", "QR code as the printer's own command or as an image.",
                       ("native", "raster")),
        "check_status": Key(True, "Ask the printer's status (DLE EOT) before and after printing."),
    },
    "outbox": {
        "path": Key("", "Outbox SQLite file; empty: DATA_DIR/outbox.sqlite3."),
        "key_file": Key("", "Encryption key file (0600); empty: DATA_DIR/outbox.key."),
        "retention_days": Key(30, "Days a delivered payload is kept before it is purged.",
                              minimum=0),
    },
    "sync": {
        "endpoint_url": Key("http://127.0.0.1:8765", "Service endpoint base URL."),
        "secret_file": Key("", "This kiosk's signing secret; empty: DATA_DIR/kiosk.secret."),
        "interval_seconds": Key(10, "Seconds between sync rounds when idle.", minimum=1),
        "embedded_endpoint": Key(False, "Start the reference endpoint on loopback inside the "
                                        "kiosk (simulator mode turns this on)."),
        "ca_file": Key("", "CA bundle to verify the endpoint's TLS certificate; empty: system."),
        "timeout_seconds": Key(10.0, "Seconds to wait for the endpoint's answer.", minimum=1),
        "batch_size": Key(50, "Submissions sent per request.", minimum=1),
    },
    "hospital": {
        "insurance_gateway": Key(SIMULATOR, "Insurance lookup gateway.", (SIMULATOR, "http")),
        "insurance_gateway_url": Key("", "URL of the insurance lookup gateway."),
        "insurance_timeout_seconds": Key(5.0, "Seconds to wait for the insurance lookup.",
                                         minimum=0.5),
        "queue_path": Key("", "Queue-number SQLite file; empty: DATA_DIR/queue.sqlite3."),
    },
    "lodging": {
        "establishment_name": Key("", "Name of the lodging establishment."),
        "establishment_address": Key("", "Address of the lodging establishment."),
        "registration_code": Key("", "The establishment's registration code with the police."),
        "register_path": Key("", "Guest-register SQLite file; empty: DATA_DIR/guests.sqlite3."),
        "warn_minutes_before_deadline": Key(60, "Warn staff this many minutes before a "
                                                "notification deadline.", minimum=0),
    },
    "admin": {
        "pin_hash": Key("", "scrypt hash of the admin PIN (`kiosk admin set-pin`); empty: "
                            "simulator mode accepts 000000, production refuses admin access."),
        "max_attempts": Key(5, "Wrong PINs in a row before the admin entry locks.", minimum=1),
        "lockout_seconds": Key(300, "How long the admin entry stays locked (kept across "
                                    "restarts in DATA_DIR).", minimum=1),
        "heartbeat_seconds": Key(60, "Seconds between heartbeats to the endpoint; 0: none.",
                                 minimum=0),
    },
    "accessibility": {
        "large_text": Key(False, "Start with large text (the citizen can toggle it)."),
        "high_contrast": Key(False, "Start in high contrast (the citizen can toggle it)."),
        "speech": Key(True, "Speak the prompts where a voice for the language is installed."),
        "speech_engine": Key("", "Qt TextToSpeech engine; empty: the platform's default."),
        "screen_dpi": Key(96, "Screen density assumed for touch targets (9 mm = 34 px at 96).",
                          minimum=50),
    },
}

DRIVER_KEYS = ("card", "camera", "scanner", "printer")


@dataclass
class Config:
    """Validated configuration values, section by section, plus where they came from."""

    values: dict[str, dict[str, Any]]
    source: Path | None = None
    simulate: bool = False
    overrides: list[str] = field(default_factory=list)

    def __getitem__(self, dotted: str) -> Any:
        section, key = dotted.split(".", 1)
        return self.values[section][key]

    @property
    def data_dir(self) -> Path:
        return Path(os.path.expanduser(self["kiosk.data_dir"]))

    def path(self, dotted: str, default_name: str) -> Path:
        """A path key, resolved against the data folder when empty."""
        value = self[dotted]
        return Path(os.path.expanduser(value)) if value else self.data_dir / default_name

    def asset_path(self, dotted: str) -> Path:
        """A path key that defaults to something shipped in the project's assets."""
        p = Path(os.path.expanduser(self[dotted]))
        if p.is_absolute() or p.exists():
            return p
        return Path(__file__).resolve().parent.parent / p


def defaults() -> dict[str, dict[str, Any]]:
    return {s: {k: key.default for k, key in keys.items()} for s, keys in SCHEMA.items()}


def _check(section: str, name: str, value: Any) -> Any:
    key = SCHEMA[section][name]
    where = f"{section}.{name}"
    if key.kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    ok = isinstance(value, key.kind) and not (key.kind is int and isinstance(value, bool))
    if key.kind is list and ok:
        ok = all(isinstance(v, str) for v in value)
    if not ok:
        raise ConfigError(where, key.expected(), value)
    if key.choices and value not in key.choices:
        raise ConfigError(where, key.expected(), value)
    if key.minimum is not None and value < key.minimum:
        raise ConfigError(where, key.expected(), value)
    return value


def _parse_override(text: str) -> tuple[str, str, Any]:
    if "=" not in text or "." not in text.split("=", 1)[0]:
        raise ConfigError(text, "an override written as section.key=value", text)
    dotted, raw = text.split("=", 1)
    section, name = dotted.strip().split(".", 1)
    if section not in SCHEMA or name not in SCHEMA[section]:
        raise ConfigError(dotted, "a known key (see `kiosk config defaults`)", raw)
    kind = SCHEMA[section][name].kind
    try:
        if kind is bool:
            if raw.lower() not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError(raw)
            value: Any = raw.lower() in ("true", "1", "yes")
        elif kind is list:
            value = [v for v in raw.split(",") if v]
        else:
            value = kind(raw)
    except ValueError:
        raise ConfigError(dotted, SCHEMA[section][name].expected(), raw) from None
    return section, name, value


def find_config_file(explicit: str | None) -> Path | None:
    if explicit:
        return Path(explicit)
    env = os.environ.get("KIOSK_CONFIG")
    if env:
        return Path(env)
    user = Path(os.path.expanduser("~/.config/vn-kiosk/kiosk.toml"))
    return user if user.exists() else None


def load(path: str | Path | None = None, *, simulate: bool = False,
         overrides: list[str] | tuple[str, ...] = ()) -> Config:
    """Load and validate the configuration. Raises ConfigError naming the key at fault."""
    values = defaults()
    source = find_config_file(str(path) if path else None)
    if source is not None:
        if not source.is_file():
            raise ConfigError("--config", "an existing TOML file", str(source))
        try:
            data = tomllib.loads(source.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(str(source), "valid TOML", str(exc)) from None
        for section, table in data.items():
            if section not in SCHEMA:
                raise ConfigError(section, "a known section: " + ", ".join(SCHEMA), "")
            if not isinstance(table, dict):
                raise ConfigError(section, "a [section] table", table)
            for name, value in table.items():
                if name not in SCHEMA[section]:
                    raise ConfigError(f"{section}.{name}",
                                      "a known key (see `kiosk config defaults`)", value)
                values[section][name] = _check(section, name, value)
    if simulate:
        # Simulated sessions never share a data folder with a real kiosk's outbox and keys.
        if values["kiosk"]["data_dir"] == SCHEMA["kiosk"]["data_dir"].default:
            values["kiosk"]["data_dir"] += "/simulator"
        for section in DRIVER_KEYS:
            values[section]["driver"] = SIMULATOR
        values["sync"]["embedded_endpoint"] = True
        values["kiosk"]["operator_panel"] = True
        # A demo establishment, so the lodging procedure can be submitted in simulator mode;
        # a real one is always configured (the form refuses an empty establishment).
        for key, demo in (("establishment_name", "Nhà nghỉ Giả Lập (simulator)"),
                          ("establishment_address", "Số 1, Phường Hoàn Kiếm, Hà Nội"),
                          ("registration_code", "SIM-0001")):
            if not values["lodging"][key]:
                values["lodging"][key] = demo
    for text in overrides:
        section, name, value = _parse_override(text)
        values[section][name] = _check(section, name, value)
    return Config(values, source, simulate, list(overrides))


def render_defaults() -> str:
    """The documented default file: every section and key with its meaning."""
    lines = ["# vn-kiosk configuration. Every key is optional; shown here with its default.", ""]
    for section, keys in SCHEMA.items():
        lines.append(f"[{section}]")
        for name, key in keys.items():
            lines.append(f"# {key.doc}" + (f" ({key.expected()})" if key.choices else ""))
            lines.append(f"{name} = {_toml_value(key.default)}")
        lines.append("")
    return "\n".join(lines)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
