"""Logical Data Structure: the files of the eMRTD application and their parsers (one per file)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileSpec:
    name: str
    fid: int
    tag: int
    max_size: int  # cap against hostile chips


COM = FileSpec("COM", 0x011E, 0x60, 1024)
DG1 = FileSpec("DG1", 0x0101, 0x61, 1024)
DG2 = FileSpec("DG2", 0x0102, 0x75, 64 * 1024)
DG13 = FileSpec("DG13", 0x010D, 0x6D, 8 * 1024)
DG14 = FileSpec("DG14", 0x010E, 0x6E, 4 * 1024)
DG15 = FileSpec("DG15", 0x010F, 0x6F, 4 * 1024)
SOD = FileSpec("SOD", 0x011D, 0x77, 32 * 1024)
CARD_ACCESS = FileSpec("CardAccess", 0x011C, 0x31, 2048)

BY_NAME = {f.name: f for f in (COM, DG1, DG2, DG13, DG14, DG15, SOD, CARD_ACCESS)}
DG_NUMBER = {"DG1": 1, "DG2": 2, "DG13": 13, "DG14": 14, "DG15": 15}
# EF.COM lists data groups by their tags
TAG_TO_DG = {0x61: 1, 0x75: 2, 0x63: 3, 0x76: 4, 0x65: 5, 0x66: 6, 0x67: 7, 0x68: 8, 0x69: 9,
             0x6A: 10, 0x6B: 11, 0x6C: 12, 0x6D: 13, 0x6E: 14, 0x6F: 15, 0x70: 16}
