"""Hardware drivers and their simulators. Nothing here imports `app` or `endpoint`.

Each device kind (card/, camera/, serial/) has one interface, a real implementation and a
simulator that speaks the same protocol (APDUs, frames, bytes on a serial line).
"""
