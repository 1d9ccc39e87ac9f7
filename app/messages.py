"""What the citizen reads when something goes wrong, in one place (Anki's show_exception).

Driver errors carry a stable `reason` code; this table turns each into words a person can act
on. A KioskError brings its own words. Anything else is a bug: the citizen is told to ask staff,
and the log gets the type (never the message, which may hold data).
"""

from __future__ import annotations

import logging

from app.errors import KioskError

log = logging.getLogger(__name__)

_TEXTS: dict[str, tuple[str, str]] = {
    "card_removed": (
        "Thẻ đã bị nhấc ra khỏi đầu đọc. Vui lòng đặt lại thẻ và giữ yên cho đến khi đọc xong.",
        "The card was taken off the reader. Place it again and keep it still until reading ends."),
    "access_denied": (
        "Không mở được thẻ. Vui lòng kiểm tra lại số định danh (hoặc quét lại mã QR trên thẻ).",
        "Could not open the card. Check the ID number (or scan the QR code on the card again)."),
    "reader_unavailable": (
        "Đầu đọc thẻ chưa sẵn sàng. Vui lòng nhờ cán bộ hỗ trợ.",
        "The card reader is not ready. Please ask a member of staff."),
    "transport_error": (
        "Đọc thẻ bị gián đoạn. Vui lòng đặt lại thẻ vào giữa đầu đọc.",
        "Reading was interrupted. Place the card again in the middle of the reader."),
    "card_protocol_error": (
        "Thẻ trả về dữ liệu không hợp lệ. Vui lòng thử lại hoặc nhờ cán bộ hỗ trợ.",
        "The card returned data that is not valid. Try again or ask a member of staff."),
    "secure_messaging_error": (
        "Kết nối bảo mật với thẻ bị lỗi. Vui lòng đặt lại thẻ.",
        "The secure connection to the card failed. Place the card again."),
    "timeout": (
        "Thẻ không trả lời kịp. Vui lòng đặt lại thẻ.",
        "The card did not answer in time. Place the card again."),
    "camera_unavailable": (
        "Không dùng được camera. Bạn có thể nhập số định danh thay cho quét mã QR.",
        "The camera cannot be used. You can type the ID number instead of scanning the QR code."),
    "device_unavailable": (
        "Thiết bị chưa sẵn sàng. Vui lòng nhờ cán bộ hỗ trợ.",
        "The device is not ready. Please ask a member of staff."),
    "qr_card_mismatch": (
        "Mã QR và thẻ đặt trên đầu đọc không phải của cùng một người. Vui lòng dùng cùng một thẻ.",
        "The QR code and the card on the reader belong to different people. Use the same card."),
    "bug": (
        "Đã có lỗi ngoài dự kiến. Vui lòng nhờ cán bộ hỗ trợ.",
        "Something unexpected went wrong. Please ask a member of staff."),
}


def text(reason: str, lang: str) -> str:
    vi, en = _TEXTS.get(reason, _TEXTS["bug"])
    return vi if lang == "vi" else en


def for_exception(exc: BaseException, lang: str) -> str:
    if isinstance(exc, KioskError):
        return exc.message(lang)
    reason = getattr(exc, "reason", None)
    if isinstance(reason, str) and reason in _TEXTS:
        return text(reason, lang)
    if isinstance(reason, str):
        # a typed driver error without its own words yet: the closest general message
        log.warning("no message for error reason %s", reason)
        family = "card_protocol_error" if reason.startswith(("card", "sod", "dg")) else "bug"
        return text(family, lang)
    log.error("unexpected error: %s", type(exc).__name__)
    return text("bug", lang)
