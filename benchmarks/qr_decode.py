"""QR decode rate and time per frame, for each decoder configuration, on two sets in one run.

(a) generated: CCCD-like payloads (random Vietnamese names and addresses) rendered into 1280x720
    card frames with rotation, perspective, blur, noise, glare, low contrast, JPEG artefacts and
    small modules (drivers/camera/synthetic.py); a frame counts when the exact payload text comes
    back from the raw bytes as UTF-8.
(b) photos: ../shared/bench/qr/**/NAME.txt beside NAME.png/.jpg/.webp (images without a .txt are
    left out); a photo counts when the raw bytes, read as UTF-8 (or, for the Japanese and Chinese
    samples, Shift-JIS / GB2312), equal the expected text.

Single-threaded (cv2.setNumThreads(1)), one fresh decoder per image (no frame-to-frame memory:
each frame is judged alone; "rate_within_3_frames" adds two more frames of a missed card, each
re-rendered from scratch: new position, new glare spot anywhere on the code).
"held_card": the card held in a hand in front of the 15 fps camera, as the kiosk decodes it:
one decoder (its frame-to-frame memory on) over consecutive frames of the same card
(synthetic.card_sequence: frame 0 is the single frame above; then the same card and
conditions, drifting 0.5-2.5 px and 0-0.5 degrees per frame with ~1 px tremor, the glare spot
drifting 0.04-0.12 QR widths per frame, new sensor noise each frame); rate within 3, 5 and 10
frames (the shipped configuration also within 30 frames, 2 s), the cards still missed after
10, and the CPU time per decoded frame over the first 10 frames.
"missed_read_at_true_geometry" (shipped configuration): of its missed single frames, how many
qr_soft or qr_deblur reads when given the renderer's exact geometry; the misses a better
locator could win.
"generated_beyond_repair": the generated frames whose glare washed out more codewords of some
Reed-Solomon block than the block has check symbols (a dark module whose darkest point reads
>= 250, like the saturated light modules around it, counts as lost; measured at the renderer's
true geometry): no decoder that erases whole codewords reads those from that frame alone, so
1 - their share is the best per-frame rate such a decoder can reach on the set. qr_symbol also
erases single bits, which can read one (1 of the 13 over seeds 7-29, 23/17, both told the
renderer's geometry and in the shipped decoder).
Times: wall clock (median_ms, p95_ms) and this thread's CPU time ("cpu"), which is the one-core
cost even when other processes load the machine; the speed targets are checked on CPU time.
Prints exactly one JSON object.

Usage: .venv/bin/python benchmarks/qr_decode.py [--frames N] [--seed S] [--configs a,b]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import cv2
import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from drivers.camera.qr_decode import (CONFIGS, DEFAULT_DECODER_CONFIG, QrDecoder,  # noqa: E402
                                      to_gray)
from drivers.camera.qr_soft import module_values, read_at  # noqa: E402
from drivers.camera.qr_symbol import beyond_repair  # noqa: E402
from drivers.camera.synthetic import qr_matrix, random_cccd_payload, render_card_frame  # noqa: E402

HELD_FRAMES = (3, 5, 10)
# The shipped configuration is also followed for 2 s (30 frames): how long the hardest cards take.
SHIPPED_HELD_FRAMES = (3, 5, 10, 30)

BENCH_DIR = REPO.parent / "shared" / "bench" / "qr"
IMAGE_EXT = (".png", ".jpg", ".jpeg", ".webp", ".bmp")


def degradation(rng: np.random.Generator) -> dict:
    """One frame's conditions. Ranges: what a desk webcam sees from a card held in a guide,
    including poor cases (2.5 px modules, heavy blur, strong glare) on purpose."""
    return dict(
        module_px=float(rng.uniform(2.5, 5.0)),
        rotation=float(rng.uniform(-35, 35) + (180 if rng.random() < 0.1 else 0)),
        perspective=float(rng.uniform(0, 0.35)),
        blur=float(rng.choice([0, rng.uniform(0.4, 1.4)], p=[0.3, 0.7])),
        noise=float(rng.uniform(0, 12)),
        glare=float(rng.uniform(0.3, 0.9)) if rng.random() < 0.35 else 0.0,
        contrast=float(rng.uniform(0.35, 1.0)) if rng.random() < 0.5 else 1.0,
        jpeg_quality=int(rng.integers(35, 90)) if rng.random() < 0.5 else None,
    )


def generated_set(n: int, seed: int) -> list[tuple[np.ndarray, bytes, dict]]:
    rng = np.random.default_rng(seed)
    out = []
    _LATER.clear()
    _BEYOND_REPAIR.clear()
    _GEOMETRY.clear()
    for i in range(n):
        payload = random_cccd_payload(rng)
        cond = degradation(rng)
        geometry: list = []
        frame = render_card_frame(payload, seed=seed * 100003 + i, geometry=geometry, **cond)
        out.append((frame, payload.encode("utf-8"), cond))
        _SPECS[i] = (payload, cond, seed * 100003 + i)
        _GEOMETRY[i] = geometry[0]
        if cond["glare"] and glare_beyond_repair(frame, payload, geometry[0]):
            _BEYOND_REPAIR.append(i)
    return out


# A dark module whose darkest point under the glare is this bright reads like the saturated
# light modules around it: its bits are gone from the frame.
_WASHED_OUT = 250
_BEYOND_REPAIR: list[int] = []


def glare_beyond_repair(frame: np.ndarray, payload: str, to_frame: np.ndarray) -> bool:
    """Whether the glare washed out so many dark modules that no decoder erasing whole
    codewords can read this frame alone, not even one told which codewords were hit
    (qr_symbol.beyond_repair). A module's
    level is the darkest of 5 points (its centre and +-0.2 module), at the true geometry."""
    gray = to_gray(frame).astype(np.float32)
    dark = qr_matrix(payload).astype(bool)
    n = dark.shape[0]
    darkest = np.min([module_values(gray, to_frame, n, at) for at in
                      ((0.5, 0.5), (0.3, 0.3), (0.7, 0.3), (0.3, 0.7), (0.7, 0.7))], axis=0)
    return beyond_repair(dark & (darkest >= _WASHED_OUT), "M")


_SPECS: dict[int, tuple[str, dict, int]] = {}
_GEOMETRY: dict[int, np.ndarray] = {}  # the renderer's true module -> frame homography
_LATER: dict[tuple[int, int], np.ndarray] = {}


def read_at_true_geometry(gen, frames: list[int]) -> int:
    """How many of these frames qr_soft or qr_deblur reads when told the symbol's exact place
    (the renderer's geometry) instead of finding it: the share of a configuration's misses that
    a better locator could still win; the rest are lost in the module decisions (glare, blur)."""
    ok = 0
    for i in frames:
        frame, expected, _ = gen[i]
        gray, to_frame = to_gray(frame), _GEOMETRY[i]
        size = qr_matrix(_SPECS[i][0]).shape[0]
        # deblur=True reads the sampled modules first, then deconvolves
        ok += read_at(gray, to_frame, size, deblur=True) == expected
    return ok


def later_frame(i: int, k: int) -> np.ndarray:
    """Frame k (1, 2) after frame i: same card and conditions, new noise, glare spot, position.
    Cached: every configuration sees the very same frames."""
    if (i, k) not in _LATER:
        payload, cond, s = _SPECS[i]
        _LATER[(i, k)] = render_card_frame(payload, seed=s + 7919 * k, **cond)
    return _LATER[(i, k)]


def held_card(config, gen, fails: list[int], first_cpu: list[float],
              within: tuple[int, ...] = HELD_FRAMES) -> dict:
    """The kiosk's measure: a card held in front of the camera for up to 10 frames (2/3 s at
    15 fps; `within`), one decoder over its consecutive frames. Cards read in their first frame
    count as read there (their first frame is the single frame measured above). The CPU times
    are over the first 10 frames, as for every configuration."""
    missed = set(fails)
    read_in: dict[int, int] = {i: 0 for i in range(len(gen)) if i not in missed}
    cpu = list(first_cpu)
    for i in fails:
        payload, cond, s = _SPECS[i]
        dec = QrDecoder(config)
        for k in range(max(within)):
            frame = gen[i][0] if k == 0 else render_card_frame(payload, seed=s, frame=k, **cond)
            c = time.thread_time()
            codes = dec.decode(frame)
            ms = (time.thread_time() - c) * 1000
            if 0 < k < max(HELD_FRAMES):
                cpu.append(ms)
            if any(x.raw == gen[i][1] for x in codes):
                read_in[i] = k
                break
    out = {f"rate_within_{n}_frames": round(sum(k < n for k in read_in.values()) / len(gen), 4)
           for n in within}
    out["cpu_all_frames"] = cpu_summary(cpu)
    out["missed"] = sorted(i for i in range(len(gen))
                           if read_in.get(i, max(within)) >= max(HELD_FRAMES))[:40]
    return out


def photo_set(root: Path) -> list[tuple[np.ndarray, str, str]]:
    out = []
    for txt in sorted(root.rglob("*.txt")):
        if txt.name.endswith(".result.txt"):
            continue
        for ext in IMAGE_EXT:
            img_path = txt.with_suffix(ext)
            if img_path.exists():
                img = cv2.imread(str(img_path), cv2.IMREAD_COLOR)
                if img is not None:
                    out.append((img, txt.read_text(encoding="utf-8"),
                                str(img_path.relative_to(root))))
                break
    return out


def photo_matches(raw: bytes, expected: str) -> bool:
    """Whether raw bytes carry the expected text. The kiosk itself accepts UTF-8 only; the photo
    set also has Japanese (Shift-JIS) and Chinese (GB2312) samples without an ECI header, which
    count when the bytes are that text in one of those charsets, so engines compare fairly."""
    want = expected.replace("\r\n", "\n")
    for enc in ("utf-8", "cp932", "gb18030", "latin-1"):
        try:
            if raw.decode(enc).replace("\r\n", "\n") == want:
                return True
        except UnicodeDecodeError:
            pass
    return False


BUCKETS = {
    "glare_none": lambda c: c["glare"] == 0,
    "glare_below_0.6": lambda c: 0 < c["glare"] < 0.6,
    "glare_0.6_up": lambda c: c["glare"] >= 0.6,
    "modules_below_3px": lambda c: c["module_px"] < 3,
    "modules_3px_up": lambda c: c["module_px"] >= 3,
    "blur_1px_up": lambda c: c["blur"] >= 1,
    "low_contrast": lambda c: c["contrast"] < 0.6,
    "jpeg_below_50": lambda c: (c["jpeg_quality"] or 100) < 50,
}


def by_condition(gen, failed: set[int]) -> dict:
    """Decode rate per condition bucket: where the failures are."""
    out = {}
    for name, test in BUCKETS.items():
        idx = [i for i, (_, _, c) in enumerate(gen) if test(c)]
        if idx:
            out[name] = {"n": len(idx),
                         "rate": round(sum(i not in failed for i in idx) / len(idx), 4)}
    return out


def cpu_summary(ms: list[float]) -> dict:
    """This thread's CPU time per frame: the one-core cost, whatever else loads the machine
    (wall-clock times above include waiting for a core when other processes compete)."""
    ms = sorted(ms)
    return {"median_ms": round(statistics.median(ms), 2),
            "p95_ms": round(ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))], 2)}


def summarise(times: list[float], ok: int, n: int) -> dict:
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))] if times else 0.0
    return {"n": n, "decoded": ok, "rate": round(ok / n, 4) if n else None,
            "median_ms": round(statistics.median(times), 2) if times else None,
            "p95_ms": round(p95, 2), "max_ms": round(times[-1], 2) if times else None}


def run_config(name: str, gen, photos) -> dict:
    config = CONFIGS[name]
    result: dict = {"attempts": [a.label for a in config.attempts],
                    "budget_ms": config.budget_ms}
    times, cpu, ok, by_decoder, fails, wrong = [], [], 0, {}, [], []
    for i, (frame, expected, cond) in enumerate(gen):
        dec = QrDecoder(config, remember_roi=False)
        c, t = time.thread_time(), time.perf_counter()
        codes = dec.decode(frame)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.thread_time() - c) * 1000)
        if any(c.raw == expected for c in codes):
            ok += 1
            d = next(c.decoder for c in codes if c.raw == expected)
            by_decoder[d] = by_decoder.get(d, 0) + 1
        else:
            fails.append(i)
            if codes:
                wrong.append(i)
    result["generated"] = summarise(times, ok, len(gen))
    # frames where something other than the card's payload came back (a miscorrection)
    result["generated"]["wrong_reads"] = wrong
    result["generated"]["cpu"] = cpu_summary(cpu)
    result["generated"]["read_by"] = by_decoder
    result["generated"]["failed_frames"] = fails[:40]
    # The live camera gives 15 frames a second: a card missed in one frame is usually read in
    # the next, where noise, the glare spot and the hand have moved. Frames 2 and 3 of the same
    # card under the same conditions, through one decoder (its ROI memory carries over).
    later = 0
    for i in fails:
        dec = QrDecoder(config)
        dec.decode(gen[i][0])
        for k in (1, 2):
            frame = later_frame(i, k)
            if any(c.raw == gen[i][1] for c in dec.decode(frame)):
                later += 1
                break
    result["generated"]["rate_within_3_frames"] = round((ok + later) / len(gen), 4)
    shipped = config is DEFAULT_DECODER_CONFIG
    result["generated"]["held_card"] = held_card(
        config, gen, fails, cpu, SHIPPED_HELD_FRAMES if shipped else HELD_FRAMES)
    if shipped:
        result["generated"]["missed_read_at_true_geometry"] = read_at_true_geometry(gen, fails)
    result["generated"]["by_condition"] = by_condition(gen, set(fails))
    times, cpu, ok, missed = [], [], 0, []
    for img, expected, rel in photos:
        dec = QrDecoder(config, remember_roi=False)
        c, t = time.thread_time(), time.perf_counter()
        codes = dec.decode(img)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.thread_time() - c) * 1000)
        if any(photo_matches(c.raw, expected) for c in codes):
            ok += 1
        else:
            missed.append(rel)
    if photos:
        result["photos"] = summarise(times, ok, len(photos))
        result["photos"]["cpu"] = cpu_summary(cpu)
        result["photos"]["missed"] = missed
    return result


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--frames", type=int, default=int(os.environ.get("QR_BENCH_FRAMES", 400)))
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--configs", default=",".join(CONFIGS))
    args = ap.parse_args()
    cv2.setNumThreads(1)
    t0 = time.perf_counter()
    gen = generated_set(args.frames, args.seed)
    photos = photo_set(BENCH_DIR) if BENCH_DIR.is_dir() else []
    out: dict = {
        "benchmark": "qr_decode",
        "frame_size": [1280, 720],
        "threads": 1,
        "generated_frames": len(gen),
        "photos": len(photos),
        "photos_dir": str(BENCH_DIR) if photos else f"absent: {BENCH_DIR}",
        "shipped": DEFAULT_DECODER_CONFIG.name,
        "targets": {"generated_rate": 0.99, "photo_rate": 0.95, "median_ms": 10, "p95_ms": 40},
        "load_average": os.getloadavg()[0],
        # Frames whose glare left too few of their code's codewords for any decoder (see
        # glare_beyond_repair): the best rate any single-frame decoder can reach is below 1.
        "generated_beyond_repair": {"frames": list(_BEYOND_REPAIR),
                                    "best_possible_rate": round(1 - len(_BEYOND_REPAIR)
                                                                / max(1, len(gen)), 4)},
        "configs": {},
    }
    for name in args.configs.split(","):
        out["configs"][name] = run_config(name, gen, photos)
    shipped = out["configs"].get(DEFAULT_DECODER_CONFIG.name)
    if shipped:
        g, p = shipped["generated"], shipped.get("photos", {})
        out["shipped_meets_targets"] = {
            "generated_rate_per_frame": g["rate"] >= 0.99,
            "generated_rate_within_3_frames": g["rate_within_3_frames"] >= 0.99,
            "generated_rate_held_card_10_frames":
                g["held_card"]["rate_within_10_frames"] >= 0.99,
            "photo_rate": (p.get("rate") or 0) >= 0.95 if p else None,
            # on one core: CPU time per frame (wall-clock medians/p95 are reported beside it)
            "median_ms": g["cpu"]["median_ms"] < 10,
            "p95_ms": g["cpu"]["p95_ms"] < 40,
        }
    out["seconds"] = round(time.perf_counter() - t0, 1)
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
