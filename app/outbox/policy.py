"""Retry policy: exponential backoff with jitter, then `held` for an operator.

Only answers from the endpoint that failed (5xx, 429, auth) count towards holding an item; a
kiosk that is offline for a week keeps every item queued and retries on the sync interval, since
being offline is the normal case this outbox exists for.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    base_seconds: float = 5.0
    factor: float = 2.0
    cap_seconds: float = 900.0
    max_failures: int = 12          # ≈ 3 hours of failing answers before an operator looks
    offline_delay_seconds: float = 5.0

    def delay(self, failures: int, rng: random.Random | None = None) -> float:
        """Delay before the next attempt after `failures` failed answers ("equal jitter"):
        half the exponential step fixed, half random, so 100 kiosks recovering from the same
        outage do not hit the endpoint in one wave."""
        r = rng or random
        step = min(self.cap_seconds, self.base_seconds * self.factor ** max(0, failures - 1))
        return step / 2 + r.uniform(0, step / 2)

    def should_hold(self, failures: int) -> bool:
        return failures >= self.max_failures
