"""The Qt front end. Only this package imports PySide6."""

import sys

if sys.version_info < (3, 12):  # pragma: no branch - 3.12 made these objects immortal
    # PySide6 6.12 on Python 3.11 drops one reference to None for every Python run() of a
    # QThread/QRunnable, and one to True for every signal emitted outside the main thread
    # (measured: 300 emits from a worker thread = True's count down by 300). The kiosk's
    # workers emit all day, so None/True would reach zero and CPython aborts ("Fatal Python
    # error: none_dealloc / bool_dealloc"), at the latest when the process exits. Python 3.12
    # made these singletons immortal; on 3.11 they get a stock of references that no day of
    # emitting can use up.
    import ctypes

    for _singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(_singleton)).value += 1 << 40
    del _singleton
