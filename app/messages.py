"""What the citizen reads when something goes wrong, in one place (Anki's show_exception).

Driver errors carry a stable `reason` code; this table turns each into words a person can act
on. A KioskError brings its own words. Anything else is a bug: the citizen is told to ask staff,
and the log gets the type (never the message, which may hold data).
"""

from __future__ import annotations

import logging
from typing import Callable

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
    "protocol_error": (
        "Thẻ trả về dữ liệu không hợp lệ. Vui lòng thử lại hoặc nhờ cán bộ hỗ trợ.",
        "The card returned data that is not valid. Try again or ask a member of staff."),
    "secure_messaging": (
        "Kết nối bảo mật với thẻ bị lỗi. Vui lòng đặt lại thẻ.",
        "The secure connection to the card failed. Place the card again."),
    "card_not_supported": (
        "Thẻ này không được hỗ trợ hoặc không đọc được. Vui lòng nhờ cán bộ hỗ trợ.",
        "This card is not supported or cannot be read. Please ask a member of staff."),
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
    "qr_already_read": (
        "Thẻ này đã được đọc cho một người khác trong lượt này. Vui lòng đưa thẻ của người tiếp theo.",
        "This card was already read for another person in this visit. Show the next person's card."),
    "qr_glare": (
        "Mã QR bị chói. Hãy nghiêng thẻ một chút.",
        "The QR code has glare on it. Tilt the card a little."),
    "qr_too_far": (
        "Hãy đưa thẻ lại gần camera hơn, vào trong khung.",
        "Bring the card closer to the camera, inside the frame."),
    "qr_unreadable": (
        "Chưa đọc được mã QR. Hãy giữ yên thẻ trong khung.",
        "The QR code cannot be read yet. Hold the card still inside the frame."),
    "bug": (
        "Đã có lỗi ngoài dự kiến. Vui lòng nhờ cán bộ hỗ trợ.",
        "Something unexpected went wrong. Please ask a member of staff."),
}


# Reasons that share the words of another: the citizen's next step is the same.
_SAME_AS = {
    "authentication_failed": "access_denied",
    "cancelled": "card_removed",
    "vpcd_unavailable": "reader_unavailable",
    "card_error": "protocol_error",
    "status_word": "card_not_supported",
    "file_not_found": "card_not_supported",
    "security_status": "card_not_supported",
    "wrong_length": "card_not_supported",
    "not_supported": "card_not_supported",
    "online_unavailable": "protocol_error",
    "camera_error": "camera_unavailable",
    "serial_error": "device_unavailable",
    "printer_error": "device_unavailable",
    "printer_timeout": "device_unavailable",
    "printer_not_ready": "device_unavailable",
    "font_missing": "device_unavailable",
    "paper_out": "device_unavailable",
    "cover_open": "device_unavailable",
    "offline": "device_unavailable",
    "printer_fault": "device_unavailable",
    "printer_busy": "device_unavailable",
}


def known(reason: str) -> bool:
    return reason in _TEXTS or reason in _SAME_AS


def text(reason: str, lang: str) -> str:
    reason = _SAME_AS.get(reason, reason)
    vi, en = _TEXTS.get(reason, _TEXTS["bug"])
    return vi if lang == "vi" else en


def for_exception(exc: BaseException, lang: str, *, report: bool = True) -> str:
    """What to show for an error, in `lang`; one with no words of its own is logged (report)."""
    if isinstance(exc, KioskError):
        return exc.message(lang)
    own = getattr(exc, "vi" if lang == "vi" else "en", None)
    if isinstance(own, str) and own:
        return own  # a driver error that brings its own words (the printer's, for one)
    reason = getattr(exc, "reason", None)
    if isinstance(reason, str) and known(reason):
        return text(reason, lang)
    if report and isinstance(reason, str):
        log.warning("no message for error reason %s", reason)
    if report:
        log.error("unexpected error: %s", type(exc).__name__)
    return text("bug", lang)


def words_of(exc: BaseException) -> Callable[[str], str]:
    """An error's words, words(lang), for a screen that shows them again after a language
    switch. The texts are worked out now and only they are kept: the exception's traceback
    holds its frames' variables, which can be a visit's personal data (a payload, a guest)."""
    texts = {"vi": for_exception(exc, "vi")}
    texts["en"] = for_exception(exc, "en", report=False)  # logged once, not per language
    return lambda lang: texts["en" if lang == "en" else "vi"]


# What the agencies say about a dossier (the endpoint's statuses), for the receipt and staff.
_AGENCY_STATUS: dict[str, tuple[str, str]] = {
    "received": ("cơ quan đã tiếp nhận", "received by the agency"),
    "processing": ("đang xử lý", "being processed"),
    "needs_info": ("cần bổ sung thông tin", "more information needed"),
    "completed": ("đã giải quyết xong", "completed"),
    "returned": ("bị trả lại", "returned"),
}


def agency_status_text(status: str, lang: str) -> str:
    """An agency status in words; a status this kiosk does not know yet is shown as sent."""
    vi, en = _AGENCY_STATUS.get(status, (status, status))
    return vi if lang == "vi" else en
