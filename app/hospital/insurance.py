"""The health-insurance (BHYT) lookup: one interface, a simulated gateway and an HTTP adapter.

At check-in the chip card replaces the insurance card: the kiosk looks the insurance record up
by ID number, name and birth date. The real gateway is often slow or unreachable (the seeds say
so), so every lookup has a timeout and every failure is a typed error the screen can explain;
the check-in continues without insurance data (the desk settles it).

Simulated gateway, chosen by the last digit of the ID number (or by the `scenarios` table, which
wins):
    1 -> expired card          2 -> not found
    3 -> gateway down (InsuranceGatewayError "gateway_down")
    4 -> slow (answers after `slow_seconds`, so a shorter timeout raises InsuranceTimeoutError)
    0, 5-9 -> valid card
"""

from __future__ import annotations

import time as _time
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any, Callable, Protocol

from app.errors import KioskError

VALID = "valid"
EXPIRED = "expired"
NOT_FOUND = "not_found"
RESULT_CODES = (VALID, EXPIRED, NOT_FOUND)

_MESSAGES = {
    VALID: ("Thẻ BHYT còn giá trị sử dụng.", "The health-insurance card is valid."),
    EXPIRED: ("Thẻ BHYT đã hết hạn; vui lòng liên hệ quầy tiếp đón.",
              "The health-insurance card has expired; please see the reception desk."),
    NOT_FOUND: ("Không tìm thấy thông tin thẻ BHYT theo số định danh; vui lòng liên hệ quầy "
                "tiếp đón.",
                "No health-insurance record was found for this ID number; please see the "
                "reception desk."),
}


@dataclass(frozen=True)
class InsuranceLookupResult:
    card_number: str
    valid_from: date | None
    valid_to: date | None
    benefit_level: str  # "1".."5" (mức hưởng)
    primary_care_facility: str  # registered primary-care facility (nơi đăng ký KCB ban đầu)
    five_years_continuous_from: date | None
    result_code: str  # one of RESULT_CODES
    message_vi: str
    message_en: str

    @property
    def usable(self) -> bool:
        return self.result_code == VALID

    def message(self, lang: str = "vi") -> str:
        return self.message_vi if lang == "vi" else self.message_en

    def as_prefill(self) -> dict[str, Any]:
        """The values a form may take from this result (source namespace "insurance")."""
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}


class InsuranceGatewayError(KioskError):
    """The lookup could not be made. `reason`: gateway_down, timeout, bad_answer, not_configured."""

    code = "insurance_gateway"

    def __init__(self, reason: str = "gateway_down", vi: str = "", en: str = "") -> None:
        super().__init__(vi or "Không kết nối được cổng giám định BHYT; vui lòng liên hệ quầy "
                               "tiếp đón.",
                         en or "The health-insurance gateway cannot be reached; please see the "
                               "reception desk.")
        self.reason = reason


class InsuranceTimeoutError(InsuranceGatewayError):
    def __init__(self, seconds: float) -> None:
        super().__init__("timeout", f"Cổng giám định BHYT không trả lời sau {seconds:g} giây.",
                         f"The health-insurance gateway did not answer within {seconds:g} s.")
        self.seconds = seconds


class InsuranceGateway(Protocol):
    def lookup(self, id_number: str, full_name: str, birth_date: date | None, *,
               timeout: float | None = None) -> InsuranceLookupResult:
        """Raises InsuranceGatewayError (or InsuranceTimeoutError) when no answer is had."""
        ...


def result_for(code: str, **values: Any) -> InsuranceLookupResult:
    vi, en = _MESSAGES[code]
    base: dict[str, Any] = dict(card_number="", valid_from=None, valid_to=None, benefit_level="",
                                primary_care_facility="", five_years_continuous_from=None)
    base.update(values)
    return InsuranceLookupResult(result_code=code, message_vi=vi, message_en=en, **base)


SCENARIO_BY_DIGIT = {"1": EXPIRED, "2": NOT_FOUND, "3": "down", "4": "slow"}


class SimulatedInsuranceGateway:
    """Answers from the ID number alone (see the module docstring). `today` and `sleep` are
    injectable so tests need neither a calendar date nor real waiting."""

    def __init__(self, *, scenarios: dict[str, str] | None = None, timeout: float = 5.0,
                 slow_seconds: float = 30.0, today: Callable[[], date] = date.today,
                 sleep: Callable[[float], None] = _time.sleep) -> None:
        self.scenarios = dict(scenarios or {})
        self.timeout = timeout
        self.slow_seconds = slow_seconds
        self._today = today
        self._sleep = sleep
        self.calls = 0

    def scenario(self, id_number: str) -> str:
        if id_number in self.scenarios:
            return self.scenarios[id_number]
        return SCENARIO_BY_DIGIT.get(id_number[-1:], VALID)

    def lookup(self, id_number: str, full_name: str, birth_date: date | None, *,
               timeout: float | None = None) -> InsuranceLookupResult:
        self.calls += 1
        limit = self.timeout if timeout is None else timeout
        scenario = self.scenario(id_number)
        if scenario == "down":
            raise InsuranceGatewayError("gateway_down")
        if scenario == "slow":
            if self.slow_seconds > limit:
                self._sleep(limit)  # a real client waits out its timeout, then gives up
                raise InsuranceTimeoutError(limit)
            self._sleep(self.slow_seconds)
            scenario = VALID
        if scenario == NOT_FOUND:
            return result_for(NOT_FOUND)
        today = self._today()
        # Card number shape: 2-letter group code, benefit digit, 2-digit province, 10 digits.
        card = f"GD4{id_number[:3][-2:]}{id_number[-10:]}"
        common = dict(card_number=card, benefit_level="4",
                      primary_care_facility="79-024 Bệnh viện đa khoa (mô phỏng)",
                      five_years_continuous_from=date(today.year - 6, 1, 1))
        if scenario == EXPIRED:
            return result_for(EXPIRED, valid_from=date(today.year - 1, 1, 1),
                              valid_to=today - timedelta(days=1), **common)
        return result_for(VALID, valid_from=date(today.year, 1, 1),
                          valid_to=date(today.year, 12, 31), **common)


class HttpInsuranceGateway:
    """A JSON-over-HTTP adapter: POST {id_number, full_name, birth_date (ISO)} to `url`, answer
    {result_code, card_number, valid_from, valid_to, benefit_level, primary_care_facility,
    five_years_continuous_from, message_vi?, message_en?}. A site-specific bridge to the real
    insurance gateway speaks this shape; the kiosk never talks to that gateway directly."""

    def __init__(self, url: str, *, timeout: float = 5.0, transport: Any = None) -> None:
        if not url:
            raise InsuranceGatewayError("not_configured",
                                        "Chưa cấu hình địa chỉ cổng giám định BHYT.",
                                        "hospital.insurance_gateway_url is not configured.")
        self.url = url
        self.timeout = timeout
        self._transport = transport

    def lookup(self, id_number: str, full_name: str, birth_date: date | None, *,
               timeout: float | None = None) -> InsuranceLookupResult:
        import httpx
        limit = self.timeout if timeout is None else timeout
        body = {"id_number": id_number, "full_name": full_name,
                "birth_date": birth_date.isoformat() if birth_date else None}
        try:
            with httpx.Client(timeout=limit, transport=self._transport) as client:
                resp = client.post(self.url, json=body)
        except httpx.TimeoutException:
            raise InsuranceTimeoutError(limit) from None
        except httpx.HTTPError:
            raise InsuranceGatewayError("gateway_down") from None
        if resp.status_code >= 500:
            raise InsuranceGatewayError("gateway_down")
        try:
            data = resp.json()
            code = data["result_code"]
            if code not in RESULT_CODES:
                raise ValueError(code)

            def d(key: str) -> date | None:
                return date.fromisoformat(data[key]) if data.get(key) else None

            result = result_for(code, card_number=str(data.get("card_number") or ""),
                                valid_from=d("valid_from"), valid_to=d("valid_to"),
                                benefit_level=str(data.get("benefit_level") or ""),
                                primary_care_facility=str(data.get("primary_care_facility") or ""),
                                five_years_continuous_from=d("five_years_continuous_from"))
        except (ValueError, KeyError, TypeError):
            raise InsuranceGatewayError("bad_answer",
                                        "Cổng giám định BHYT trả lời không đúng định dạng.",
                                        "The health-insurance gateway gave an unreadable answer.") \
                from None
        if data.get("message_vi") and data.get("message_en"):
            result = InsuranceLookupResult(**{**asdict(result), "message_vi": data["message_vi"],
                                              "message_en": data["message_en"]})
        return result


def gateway_from_config(config: Any) -> InsuranceGateway:
    """The gateway the configuration names ([hospital] insurance_gateway)."""
    timeout = float(config["hospital.insurance_timeout_seconds"])
    if config["hospital.insurance_gateway"] == "http":
        return HttpInsuranceGateway(config["hospital.insurance_gateway_url"], timeout=timeout)
    return SimulatedInsuranceGateway(timeout=timeout)
