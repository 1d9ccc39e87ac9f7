"""The card worker: only the latest read reports. A read superseded by a new one (the card laid
back after being pulled) or cancelled at the end of a session must not throw the next one back."""

from datetime import date
from pathlib import Path

from drivers.card.reading import ReadOptions, keys_from_identity
from drivers.card.simulated_reader import SimulatedReaderBackend
from drivers.card.virtual import FaultPlan, VirtualCard, load_profile

PROFILE = Path(__file__).resolve().parent.parent / "assets" / "simulator" / "cards" / "adult-2021.json"


def start_worker(qtbot, faults=None):
    from app.ui.card_worker import CardWorker

    profile = load_profile(PROFILE)
    backend = SimulatedReaderBackend()
    worker = CardWorker(backend)
    outcomes = []
    worker.read_finished.connect(lambda r: outcomes.append(("finished", r)))
    worker.read_failed.connect(lambda e: outcomes.append(("failed", e)))
    worker.start()
    backend.insert(VirtualCard(profile, faults=faults))
    qtbot.waitUntil(lambda: worker.card_present)
    return worker, outcomes


def keys():
    return keys_from_identity("001090012345", date(1990, 1, 15), None, date.today())


def test_a_superseded_read_does_not_report(qtbot):
    worker, outcomes = start_worker(qtbot, FaultPlan(latency=0.005, sleep=True))
    try:
        worker.read(keys(), ReadOptions(face=False))
        worker.read(keys(), ReadOptions(face=False))
        qtbot.waitUntil(lambda: len(outcomes) >= 1, timeout=20000)
        qtbot.wait(300)  # the first read's late outcome, if any, would arrive meanwhile
        assert [kind for kind, _ in outcomes] == ["finished"]
        assert outcomes[0][1].identity["id_number"] == "001090012345"
    finally:
        worker.stop()


def test_a_cancelled_read_does_not_report(qtbot):
    worker, outcomes = start_worker(qtbot, FaultPlan(latency=0.005, sleep=True))
    try:
        worker.read(keys(), ReadOptions(face=False))
        qtbot.wait(50)
        worker.cancel()
        qtbot.wait(500)
        assert outcomes == []
    finally:
        worker.stop()
