"""Errors of the procedures domain. Each carries a stable `reason` and vi/en messages."""

from __future__ import annotations

from app.errors import KioskError


class ProcedureError(KioskError):
    code = "procedure_error"

    def __init__(self, reason: str, vi: str, en: str) -> None:
        super().__init__(vi, en, code=self.code)
        self.reason = reason


class FormDefinitionError(ProcedureError):
    """A form or consent file that cannot be used. Names the file, the key inside it and what is
    wrong, so whoever edits the data can fix it without reading code."""

    code = "form_definition_error"

    def __init__(self, file: str, where: str, problem: str) -> None:
        self.file = file
        self.where = where
        self.problem = problem
        en = f"form definition {file}: {where or '(top level)'}: {problem}"
        vi = f"tệp định nghĩa biểu mẫu {file}: {where or '(cấp trên cùng)'}: {problem}"
        super().__init__("form_definition", vi, en)


class UnknownProcedureError(ProcedureError):
    code = "unknown_procedure"

    def __init__(self, procedure_id: str) -> None:
        super().__init__("unknown_procedure", f"Không có thủ tục \"{procedure_id}\".",
                         f"There is no procedure \"{procedure_id}\".")
        self.procedure_id = procedure_id


class UnknownFieldError(ProcedureError):
    code = "unknown_field"

    def __init__(self, path: str) -> None:
        super().__init__("unknown_field", f"Biểu mẫu không có trường \"{path}\".",
                         f"The form has no field \"{path}\".")
        self.path = path


class FieldLockedError(ProcedureError):
    """The value was proven by a card: only an operator may unlock and change it."""

    code = "field_locked"

    def __init__(self, path: str) -> None:
        super().__init__("field_locked",
                         "Thông tin này được đọc từ thẻ và không thể sửa; hãy nhờ cán bộ hỗ trợ.",
                         "This value was read from the card and cannot be changed; ask staff.")
        self.path = path


class ConsentError(ProcedureError):
    code = "consent_error"


class SubmissionInvalidError(ProcedureError):
    """to_submission() on a draft that still has errors."""

    code = "submission_invalid"

    def __init__(self, errors: list) -> None:
        super().__init__("submission_invalid", "Hồ sơ còn thông tin chưa hợp lệ.",
                         "The form still has invalid or missing information.")
        self.errors = errors
