"""Camera frames of a citizen ID card with its QR code, generated.

Used by the tests, the QR benchmark and the simulator's "show the card to the camera". The QR is
encoded from the payload's UTF-8 bytes in byte mode without an ECI header, as on the card (so a
decoder that guesses Shift-JIS meets the same trap as with a real card).

Degradations model what a webcam at a reception desk sees: the card turned and tilted, out of
focus, sensor noise, a glare spot on the laminate, low contrast and JPEG compression.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
import segno

QUIET_ZONE = 4
# The QR is ~18 mm on an 85.6 x 54 mm card: the card is ~4.75 QR widths wide.
CARD_PER_QR = 85.6 / 18.0
CARD_ASPECT = 54.0 / 85.6


def qr_matrix(payload: str | bytes, error: str = "m") -> np.ndarray:
    """The QR modules (1 = dark) for the payload's UTF-8 bytes, byte mode, no ECI, no border."""
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    qr = segno.make_qr(data, mode="byte", error=error, boost_error=False)
    return np.array(list(qr.matrix), dtype=np.uint8)


def _card(qr_img: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, tuple[int, int]]:
    """A card-like picture (BGR) with the QR near one corner, and the QR's top-left offset."""
    q = qr_img.shape[0]
    cw = int(q * CARD_PER_QR)
    ch = int(cw * CARD_ASPECT)
    tint = np.array([235, 228, 214], dtype=np.float32) + rng.uniform(-12, 12, 3)
    card = np.empty((ch, cw, 3), dtype=np.float32)
    card[:] = tint
    # A faint guilloche-like wave pattern and lines of "text": realistic distractors.
    yy, xx = np.mgrid[0:ch, 0:cw].astype(np.float32)
    card += (6 * np.sin(xx / (cw / 37.0) + 3 * np.sin(yy / (ch / 5.0))))[..., None]
    card = np.clip(card, 0, 255).astype(np.uint8)
    line_h = max(6, ch // 16)
    for i in range(7):
        y = int(ch * 0.18) + i * int(line_h * 1.7)
        x0 = int(cw * 0.05)
        x1 = int(cw * rng.uniform(0.3, 0.55))
        cv2.rectangle(card, (x0, y), (x1, y + line_h // 2), (70, 60, 50), -1)
    ox = cw - q - int(cw * 0.04)
    oy = int((ch - q) * rng.uniform(0.3, 0.7))
    card[oy:oy + q, ox:ox + q] = qr_img[..., None]
    return card, (ox, oy)


def render_card_frame(payload: str | bytes, *, size: tuple[int, int] = (1280, 720),
                      module_px: float = 4, rotation: float = 0, perspective: float = 0,
                      blur: float = 0, noise: float = 0, glare: float = 0, contrast: float = 1,
                      jpeg_quality: int | None = None, seed: int | None = None,
                      error: str = "m", frame: int = 0,
                      geometry: list | None = None) -> np.ndarray:
    """A BGR frame of `size` (width, height) showing a card with the payload's QR.

    module_px: pixels per QR module before perspective (the card is drawn at that scale and
    may be cropped by the frame; the QR always stays in view). rotation: degrees. perspective:
    0-1, how far the corners move (as a fraction of a quarter of the card's size). blur:
    Gaussian sigma in pixels. noise: Gaussian sigma in grey levels. glare: 0-1, strength of a bright spot over the QR (additive, up to
    255 at its centre: from ~0.6 it saturates modules). contrast: 1 keeps, below 1 washes out.
    jpeg_quality: re-encode as JPEG at that quality. seed: makes the frame reproducible.
    frame: the k-th frame (15 fps) of the same card held in a hand (see card_sequence): frame 0
    is exactly the frame without it; later ones move the card and the glare spot a little.
    geometry: a list to which the 3x3 homography from QR module coordinates (0..modules across,
    no quiet zone) to frame pixels is appended (for the benchmark's bound on what is legible).
    """
    rng = np.random.default_rng(seed)
    hand = _HandMotion(seed, frame)
    w, h = size
    modules = qr_matrix(payload, error)
    n = modules.shape[0] + 2 * QUIET_ZONE
    qr_small = np.full((n, n), 255, np.uint8)
    qr_small[QUIET_ZONE:-QUIET_ZONE, QUIET_ZONE:-QUIET_ZONE] = np.where(modules == 1, 25, 245)
    q_px = max(n, int(round(n * module_px)))
    qr_img = cv2.resize(qr_small, (q_px, q_px), interpolation=cv2.INTER_NEAREST if
                        float(module_px).is_integer() else cv2.INTER_AREA)
    card, (ox, oy) = _card(qr_img, rng)
    ch, cw = card.shape[:2]

    # Card corners -> frame, at 1:1 scale so module_px holds (a card bigger than the frame is
    # cropped, as when it is held close): rotate about the QR's centre, jitter the corners, then
    # put the QR near the frame's centre, fully visible.
    src = np.float32([[0, 0], [cw, 0], [cw, ch], [0, ch]])
    qc = np.float32([ox + q_px / 2, oy + q_px / 2])
    pts = src - qc
    a = math.radians(rotation + hand.rotation)
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]], np.float32)
    pts = pts @ rot.T
    if perspective:
        jitter = perspective * 0.25 * np.array([cw, ch], np.float32)
        pts = pts + rng.uniform(-1, 1, (4, 2)).astype(np.float32) * jitter
    m0 = cv2.getPerspectiveTransform(src, pts.astype(np.float32))
    qcorners = np.float32([[ox, oy], [ox + q_px, oy], [ox + q_px, oy + q_px], [ox, oy + q_px]])
    qdst = cv2.perspectiveTransform(qcorners[None], m0)[0]
    lo, hi = qdst.min(axis=0), qdst.max(axis=0)
    room = np.maximum(np.float32([w, h]) - (hi - lo), 0)
    offset = -lo + room * rng.uniform(0.25, 0.75, 2).astype(np.float32)
    dst = (pts + offset + hand.shift).astype(np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    if geometry is not None:
        px = q_px / n  # card pixels per module
        # pixel k is a sample at k (OpenCV's convention): a module's edge lies half a pixel
        # before its first pixel
        to_card = np.array([[px, 0, ox + QUIET_ZONE * px - 0.5],
                            [0, px, oy + QUIET_ZONE * px - 0.5], [0, 0, 1]])
        geometry.append(m @ to_card)

    background = np.empty((h, w, 3), np.uint8)
    background[:] = rng.integers(40, 110, 3, dtype=np.uint8)
    warped = cv2.warpPerspective(card, m, (w, h), dst=background, flags=cv2.INTER_LINEAR,
                                 borderMode=cv2.BORDER_TRANSPARENT)
    img = warped.astype(np.float32)

    if glare > 0:
        qc = np.array([[ox + q_px / 2, oy + q_px / 2]], np.float32)[None]
        gx, gy = cv2.perspectiveTransform(qc, m)[0, 0]
        r = q_px * rng.uniform(0.25, 0.5)
        gx += rng.uniform(-0.3, 0.3) * q_px
        gy += rng.uniform(-0.3, 0.3) * q_px
        gx, gy = gx + hand.glare[0] * q_px, gy + hand.glare[1] * q_px
        # Only a window of 3 radii around the spot: exp() over the whole frame is slow.
        x0, x1 = int(max(0, gx - 3 * r)), int(min(w, gx + 3 * r))
        y0, y1 = int(max(0, gy - 3 * r)), int(min(h, gy + 3 * r))
        if x1 > x0 and y1 > y0:
            yy, xx = np.ogrid[y0:y1, x0:x1]
            spot = np.exp(-(((xx - gx) ** 2 + (yy - gy) ** 2) / (2 * r * r))).astype(np.float32)
            img[y0:y1, x0:x1] += (glare * 255 * spot)[..., None]
    if contrast != 1:
        img = (img - 128) * contrast + 128 + rng.uniform(-20, 20) * (1 - contrast)
    if blur > 0:
        img = cv2.GaussianBlur(img, (0, 0), blur)
    if noise > 0:
        grain = np.empty(img.shape, np.float32)
        noise_seed = int(rng.integers(0, 2**31 - 1))
        cv2.setRNGSeed(hand.noise_seed if frame else noise_seed)
        cv2.randn(grain, 0.0, float(noise))  # numpy's normal() is ~5x slower at this size
        img += grain
    out = np.clip(img, 0, 255).astype(np.uint8)
    if jpeg_quality is not None:
        ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, int(jpeg_quality)])
        out = cv2.imdecode(buf, cv2.IMREAD_COLOR)
    return out


class _HandMotion:
    """How a card held in front of the camera moves over `frame` frames at 15 fps: a steady
    drift of 0.5-2.5 px and 0-0.5 degrees per frame plus a tremor of about 1 px, and the glare
    spot (the lamp's reflection, which moves much more than the card when the card tilts)
    drifting 0.04-0.12 QR widths per frame. Drawn from its own generator, so that frame 0 is
    the single frame render_card_frame always drew for this seed."""

    def __init__(self, seed: int | None, frame: int) -> None:
        self.rotation, self.shift, self.glare = 0.0, np.zeros(2, np.float32), (0.0, 0.0)
        self.noise_seed = 0
        if not frame:
            return
        base = [0x5EC] if seed is None else [int(seed), 0x5EC]
        seq = np.random.default_rng(base)  # the same for every frame of this card
        a, b = seq.uniform(0, 2 * math.pi, 2)
        speed = seq.uniform(0.5, 2.5)
        turn = seq.uniform(-0.5, 0.5)
        glare_speed = seq.uniform(0.04, 0.12)
        now = np.random.default_rng(base + [int(frame)])  # this frame's tremor and noise
        self.rotation = turn * frame
        self.shift = (np.float32([math.cos(a), math.sin(a)]) * speed * frame
                      + now.normal(0, 1.0, 2)).astype(np.float32)
        self.glare = (math.cos(b) * glare_speed * frame, math.sin(b) * glare_speed * frame)
        self.noise_seed = int(now.integers(0, 2**31 - 1))


def card_sequence(payload: str | bytes, n: int, **kwargs) -> list[np.ndarray]:
    """n consecutive frames (15 fps) of one card held in a hand: the same card, conditions and
    glare strength; small motion, the glare spot moving, new sensor noise in each frame."""
    return [render_card_frame(payload, frame=k, **kwargs) for k in range(n)]


def render_qr_image(payload: str | bytes, module_px: int = 6, error: str = "m") -> np.ndarray:
    """Just the QR (grey, with its quiet zone): the fast path for round-trip tests."""
    modules = qr_matrix(payload, error)
    img = np.where(np.pad(modules, QUIET_ZONE) == 1, 0, 255).astype(np.uint8)
    return cv2.resize(img, None, fx=module_px, fy=module_px, interpolation=cv2.INTER_NEAREST)


# --- random Vietnamese card payloads ----------------------------------------------------------
_SURNAMES = ("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Lương "
             "Trịnh Đinh Tạ Mạc Quách Hà Kiều Lâm Thái Ưng Âu Triệu Khổng").split()
_MIDDLE = ("Văn Thị Hữu Đức Minh Ngọc Thanh Quốc Xuân Thu Hồng Phương Gia Bảo Khánh Tường "
           "Diệu Mỹ Như Ánh Đình Công Trọng").split()
_GIVEN = ("An Bình Châu Dũng Giang Hà Hải Hạnh Hiếu Hòa Hùng Hương Khoa Lan Linh Long Mai "
          "Nga Ngân Nhung Oanh Phúc Quân Quyên Sơn Tâm Thảo Thắng Thủy Tiến Trang Trung Tú "
          "Tuấn Uyên Việt Vy Xuyến Yến Ðạt Đạt Ước Ửng Ỷ Nhựt Luỹ Khuê Nguyệt Ngữ").split()
_STREETS = ("Lê Lợi|Trần Hưng Đạo|Nguyễn Huệ|Hai Bà Trưng|Lý Thường Kiệt|Điện Biên Phủ|"
            "Phố Huế|Quang Trung|Võ Thị Sáu|Cách Mạng Tháng Tám|Ngõ 12 Ỷ Lan").split("|")
_WARDS = ("Phường Bến Nghé|Phường Tràng Tiền|Xã Đông Hòa|Phường Hải Châu|Thị trấn Ứng Hòa|"
          "Phường Ngọc Hà|Xã Ea Kao|Phường Vĩnh Ninh").split("|")
_CITIES = ("Hà Nội|TP. Hồ Chí Minh|Đà Nẵng|Hải Phòng|Cần Thơ|Thừa Thiên Huế|Đắk Lắk|"
           "Bà Rịa - Vũng Tàu|Quảng Ngãi|Thanh Hóa").split("|")
_PROVINCES = ("001", "079", "048", "031", "092", "046", "066", "077", "051", "038")


def random_cccd_payload(rng: np.random.Generator | int | None = None, *,
                        generation: int | None = None) -> str:
    """A made-up but internally consistent card payload (ID digits agree with birth and sex).

    generation 2021 gives 7 fields (old CMND number often present), 2024 gives 11 (extras empty
    or filled); None picks one at random.
    """
    rng = np.random.default_rng(rng)
    pick = lambda seq: seq[int(rng.integers(len(seq)))]  # noqa: E731
    female = bool(rng.integers(2))
    year = int(rng.integers(1935, 2012))
    month, day = int(rng.integers(1, 13)), int(rng.integers(1, 29))
    century_digit = (year - 1900) // 100 * 2 + (1 if female else 0)
    id_number = f"{pick(_PROVINCES)}{century_digit}{year % 100:02d}{int(rng.integers(10**6)):06d}"
    names = [pick(_SURNAMES)] + [pick(_MIDDLE) for _ in range(int(rng.integers(1, 3)))]
    names.append(pick(_GIVEN))
    name = " ".join(names)
    if rng.random() < 0.15:
        name = name.upper()
    address = (f"Số {int(rng.integers(1, 400))}, {pick(_STREETS)}, {pick(_WARDS)}, "
               f"{pick(_CITIES)}")
    gen = generation or (2021 if rng.random() < 0.5 else 2024)
    issue_year = int(rng.integers(max(year + 14, 2021), 2026)) if gen == 2021 or year > 2010 \
        else int(rng.integers(2024, 2026))
    issue_year = max(issue_year, year + 1)
    issued = f"{int(rng.integers(1, 29)):02d}{int(rng.integers(1, 13)):02d}{issue_year}"
    old_id = f"{int(rng.integers(10**9)):09d}" if gen == 2021 and rng.random() < 0.6 else ""
    fields = [id_number, old_id, name, f"{day:02d}{month:02d}{year}", "Nữ" if female else "Nam",
              address, issued]
    if gen == 2024:
        extra = ["", "", "", ""]
        if rng.random() < 0.3:
            extra[1] = f"{pick(_SURNAMES)} {pick(_MIDDLE)} {pick(_GIVEN)}"
        fields += extra
    return "|".join(fields)
