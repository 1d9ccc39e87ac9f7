"""Outbox errors: typed, with a stable `reason` code and a vi/en message a person can act on.

Messages never contain personal data (they name files, dossier codes and states only).
"""

from __future__ import annotations

from pathlib import Path

from app.errors import KioskError


class OutboxError(KioskError):
    """Base for outbox errors. `reason` is stable: scripts and the UI switch on it."""

    code = "outbox_error"

    def __init__(self, reason: str, vi: str, en: str) -> None:
        super().__init__(vi, en, code=f"outbox.{reason}")
        self.reason = reason


class OutboxCorruptError(OutboxError):
    """The outbox file is damaged. It is kept untouched: never start on an empty queue silently."""

    def __init__(self, path: Path, detail: str) -> None:
        self.path = Path(path)
        self.detail = detail
        super().__init__(
            "corrupt",
            f"Tệp hàng đợi hồ sơ {path} bị hỏng ({detail}). Tệp được giữ nguyên, không xóa. "
            "Hãy dừng ki-ốt, sao chép tệp này gửi bộ phận hỗ trợ, rồi chạy "
            "`kiosk outbox quarantine` để cất tệp hỏng sang bên và bắt đầu hàng đợi mới.",
            f"The outbox file {path} is damaged ({detail}). It has been kept as is, not deleted. "
            "Stop the kiosk, copy this file for support, then run `kiosk outbox quarantine` to "
            "move the damaged file aside and start a new queue.",
        )


class OutboxDiskFullError(OutboxError):
    def __init__(self, path: Path, *, submitting: bool = True) -> None:
        self.path = Path(path)
        if submitting:
            vi = (f"Không còn chỗ trên đĩa để lưu hồ sơ ({path}). Hồ sơ CHƯA được lưu. "
                  "Hãy báo nhân viên giải phóng dung lượng rồi nộp lại.")
            en = (f"The disk holding the outbox ({path}) is full. The submission was NOT saved. "
                  "Ask staff to free disk space, then submit again.")
        else:
            vi = (f"Đĩa chứa hàng đợi hồ sơ ({path}) đã đầy; việc gửi tạm dừng, hồ sơ đã lưu "
                  "không mất. Hãy giải phóng dung lượng.")
            en = (f"The disk holding the outbox ({path}) is full; sending is paused and saved "
                  "submissions are safe. Free disk space.")
        super().__init__("disk_full", vi, en)


class OutboxKeyError(OutboxError):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(
            reason,
            f"Khóa mã hóa hàng đợi hồ sơ không dùng được: {detail}. Không tạo khóa mới để tránh "
            "mất hồ sơ; hãy khôi phục tệp khóa đúng hoặc gọi hỗ trợ.",
            f"The outbox encryption key cannot be used: {detail}. No new key was created, so no "
            "queued submission is lost; restore the right key file or call support.",
        )


class OutboxStateError(OutboxError):
    """A transition from a state the row is not in (a bug or a race that lost)."""

    def __init__(self, dossier_code: str, expected: str, target: str, actual: str | None) -> None:
        self.dossier_code = dossier_code
        self.actual = actual
        super().__init__(
            "bad_transition",
            f"Hồ sơ {dossier_code} đang ở trạng thái {actual}, không thể chuyển {expected} → {target}.",
            f"Dossier {dossier_code} is {actual}; cannot move it {expected} → {target}.",
        )


class OutboxNotFoundError(OutboxError):
    def __init__(self, dossier_code: str) -> None:
        super().__init__("not_found", f"Không có hồ sơ {dossier_code} trong hàng đợi.",
                         f"There is no dossier {dossier_code} in the outbox.")


class OutboxInvalidError(OutboxError):
    """The submission's shape is wrong (procedure id, payload type, deadline)."""

    def __init__(self, detail_vi: str, detail_en: str) -> None:
        super().__init__("invalid", f"Hồ sơ không hợp lệ: {detail_vi}.",
                         f"Invalid submission: {detail_en}.")
