"""`kiosk qr decode --json IMAGE...`."""

from __future__ import annotations

import json

import cv2

from app.cli import main
from drivers.camera.synthetic import render_card_frame

CARD = "001090012345|012345678|Nguyễn Văn An|15011990|Nam|Số 1, Phố C, Phường D, Hà Nội|10042021"


def run(capsys, *argv):
    code = main(["qr", "decode", *argv])
    return code, capsys.readouterr().out


def test_decode_json_ok(tmp_path, capsys):
    img = tmp_path / "card.png"
    cv2.imwrite(str(img), render_card_frame(CARD, seed=1, rotation=12))
    code, out = run(capsys, "--json", str(img))
    assert code == 0
    data = json.loads(out)
    r = data["results"][0]
    assert r["ok"] and r["text"] == CARD and r["ms"] >= 0
    assert r["fields"]["birth_date"] == "1990-01-15" and r["fields"]["sex"] == "Nam"
    assert r["fields"]["id_number"] == "001090012345"


def test_decode_json_failures_still_printed(tmp_path, capsys):
    good, bank, empty, junk = (tmp_path / n for n in ("a.png", "b.png", "c.png", "d.png"))
    cv2.imwrite(str(good), render_card_frame(CARD, seed=2))
    cv2.imwrite(str(bank), render_card_frame("00020101021138570010A000000727", seed=2))
    cv2.imwrite(str(empty), render_card_frame("x", seed=2)[:50, :50] * 0)
    junk.write_bytes(b"not an image")
    code, out = run(capsys, "--json", str(good), str(bank), str(empty), str(junk))
    assert code == 1
    data = json.loads(out)
    reasons = [r.get("error", {}).get("reason") for r in data["results"]]
    assert reasons == [None, "other_kind", "no_qr_code", "unreadable_image"]
    assert data["failed"] == 3
    assert data["results"][1]["error"]["vi"]


def test_decode_plain_text(tmp_path, capsys):
    img = tmp_path / "card.png"
    cv2.imwrite(str(img), render_card_frame(CARD, seed=3))
    code, out = run(capsys, str(img))
    assert code == 0 and "OK" in out and "issue_date: 2021-04-10" in out
