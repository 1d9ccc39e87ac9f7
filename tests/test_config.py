"""The configuration file: defaults, documented keys, and one clear message per mistake."""

import subprocess
import sys

import pytest

from app import config
from app.errors import ConfigError


def write(tmp_path, text):
    p = tmp_path / "kiosk.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_defaults_without_a_file(monkeypatch, tmp_path):
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    cfg = config.load()
    assert cfg.source is None
    assert cfg["card.driver"] == "pcsc"
    assert cfg["kiosk.profile"] == "public-admin"


def test_file_values_and_environment_variable(monkeypatch, tmp_path):
    p = write(tmp_path, '[kiosk]\nprofile = "hospital"\n[camera]\nfps = 10\n')
    monkeypatch.setenv("KIOSK_CONFIG", str(p))
    cfg = config.load()
    assert cfg.source == p
    assert cfg["kiosk.profile"] == "hospital"
    assert cfg["camera.fps"] == 10


@pytest.mark.parametrize("text, key, expected", [
    ('[kiosk]\nprofile = "school"\n', "kiosk.profile", '"public-admin", "hospital", "lodging"'),
    ('[camera]\nfps = "fast"\n', "camera.fps", "a whole number"),
    ('[camera]\nfps = 0\n', "camera.fps", "not below 1"),
    ('[kiosk]\nfullscreen = "yes"\n', "kiosk.fullscreen", "true or false"),
    ('[card]\nreadr = "x"\n', "card.readr", "a known key"),
    ('[cards]\nreader = "x"\n', "cards", "a known section"),
])
def test_each_mistake_names_the_key_and_what_it_expects(tmp_path, text, key, expected):
    with pytest.raises(ConfigError) as err:
        config.load(write(tmp_path, text))
    assert err.value.key == key
    assert expected in err.value.en
    assert key in err.value.vi


def test_missing_file_and_broken_toml(tmp_path):
    with pytest.raises(ConfigError, match="an existing TOML file"):
        config.load(tmp_path / "nope.toml")
    with pytest.raises(ConfigError, match="valid TOML"):
        config.load(write(tmp_path, "[kiosk\nid=1"))


def test_simulate_swaps_every_driver_and_overrides_win(tmp_path):
    cfg = config.load(write(tmp_path, '[printer]\ndriver = "escpos-serial"\n'), simulate=True,
                      overrides=["card.driver=pcsc", "kiosk.idle_timeout_seconds=30"])
    assert cfg["camera.driver"] == "simulator"
    assert cfg["printer.driver"] == "simulator"
    assert cfg["card.driver"] == "pcsc"
    assert cfg["kiosk.idle_timeout_seconds"] == 30
    assert cfg["sync.embedded_endpoint"] is True


def test_bad_override_is_refused(tmp_path):
    with pytest.raises(ConfigError) as err:
        config.load(overrides=["camera.fps=fast"])
    assert err.value.key == "camera.fps"
    with pytest.raises(ConfigError):
        config.load(overrides=["nonsense"])


def test_documented_defaults_load_back_unchanged(tmp_path):
    p = write(tmp_path, config.render_defaults())
    assert config.load(p).values == config.defaults()
    for keys in config.SCHEMA.values():
        for key in keys.values():
            assert key.doc, "every key is documented"


def test_cli_reports_a_bad_config_in_one_line(tmp_path):
    p = write(tmp_path, '[kiosk]\nprofile = "school"\n')
    proc = subprocess.run([sys.executable, "-m", "app", "--config", str(p), "config", "check"],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0
    assert "kiosk.profile must be one of" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_simulator_mode_has_a_demo_establishment_but_production_does_not():
    assert config.load(None, simulate=True)["lodging.registration_code"] == "SIM-0001"
    assert config.load(None)["lodging.registration_code"] == ""
    assert config.load(None, simulate=True, overrides=["lodging.registration_code=HN-42"])[
        "lodging.registration_code"] == "HN-42"


def test_the_documented_example_file_is_current():
    from pathlib import Path

    example = Path(__file__).resolve().parent.parent / "docs" / "kiosk.example.toml"
    assert example.read_text(encoding="utf-8").strip() == config.render_defaults().strip(), \
        "regenerate it: kiosk config defaults > docs/kiosk.example.toml"
