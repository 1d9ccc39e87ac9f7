"""DG2: the face image inside the ISO/IEC 19794-5 biometric record (tag 75 / 7F61 / 7F60 / 5F2E).

The image is extracted as stored (JPEG or JPEG 2000); `to_jpeg` converts JPEG 2000 with Pillow
when it can, so the UI always gets a JPEG when possible.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from drivers.card import tlv
from drivers.card.errors import CardProtocolError

JPEG_SOI = b"\xff\xd8\xff"
JP2_SIGNATURE = b"\x00\x00\x00\x0cjP  \r\n\x87\n"
J2K_CODESTREAM = b"\xff\x4f\xff\x51"


@dataclass
class FaceImage:
    format: str  # "jpeg" | "jpeg2000"
    data: bytes
    width: int = 0
    height: int = 0


def _biometric_data(data: bytes) -> bytes:
    top = tlv.parse_one(data, 0x75, depth=3)
    group = top.find(0x7F61)
    if group is None:
        raise CardProtocolError("DG2 without biometric information group")
    for tpl in group.children:
        if tpl.tag == 0x7F60:
            for c in tpl.children:
                if c.tag in (0x5F2E, 0x7F2E):
                    return c.value
    raise CardProtocolError("DG2 without biometric data block")


def parse(data: bytes) -> FaceImage:
    record = _biometric_data(data)
    if record[:4] != b"FAC\x00" or len(record) < 14 + 20 + 12:
        raise CardProtocolError("DG2: not an ISO 19794-5 facial record")
    pos = 14  # general header: format id, version, record length, number of images
    pos += 4  # facial record data length
    n_points = int.from_bytes(record[pos:pos + 2], "big")
    pos += 16 + n_points * 8  # rest of the facial information block + feature points
    info = record[pos:pos + 12]
    if len(info) < 12:
        raise CardProtocolError("DG2: truncated image information")
    width, height = int.from_bytes(info[2:4], "big"), int.from_bytes(info[4:6], "big")
    image = record[pos + 12:]
    if image.startswith(JPEG_SOI):
        return FaceImage("jpeg", image, width, height)
    if image.startswith(JP2_SIGNATURE) or image.startswith(J2K_CODESTREAM):
        return FaceImage("jpeg2000", image, width, height)
    raise CardProtocolError("DG2: unknown image format")


def to_jpeg(face: FaceImage) -> bytes | None:
    """JPEG bytes of the face: as stored, or converted from JPEG 2000 (None if Pillow cannot)."""
    if face.format == "jpeg":
        return face.data
    try:
        from PIL import Image

        with Image.open(io.BytesIO(face.data)) as im:
            out = io.BytesIO()
            im.convert("RGB").save(out, "JPEG", quality=90)
            return out.getvalue()
    except Exception:  # noqa: BLE001 - Pillow without OpenJPEG, or a broken image
        return None


def build(image: bytes, width: int, height: int, jpeg2000: bool = False) -> bytes:
    """An ISO 19794-5 record wrapped in DG2 (the virtual card's personalisation)."""
    face_block = (
        (20 + 12 + len(image)).to_bytes(4, "big")
        + (0).to_bytes(2, "big")  # feature points
        + bytes([0, 0, 0])  # gender, eye colour, hair colour: unspecified
        + bytes(3)  # property mask
        + bytes(2)  # expression
        + bytes(3) + bytes(3)  # pose angles and uncertainty
        + bytes([1, 1 if jpeg2000 else 0]) + width.to_bytes(2, "big") + height.to_bytes(2, "big")
        + bytes([1, 2]) + bytes(2) + bytes(2)  # colour space, source, device, quality
        + image
    )
    record = b"FAC\x00" + b"010\x00" + (14 + len(face_block)).to_bytes(4, "big") + (1).to_bytes(2, "big") + face_block
    header = tlv.encode(0xA1, tlv.encode(0x80, b"\x01\x01") + tlv.encode(0x87, b"\x01\x01")
                        + tlv.encode(0x88, b"\x00\x08"))
    tpl = tlv.encode(0x7F60, header + tlv.encode(0x5F2E, record))
    return tlv.encode(0x75, tlv.encode(0x7F61, tlv.encode(0x02, b"\x01") + tpl))
