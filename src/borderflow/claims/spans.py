"""Spans of a sentence already claimed by an earlier match.

Readers take matches in order of preference and skip a later match that overlaps an earlier one.
Kept as one mark per character, a test costs the length of the span asked about, not the number
of spans taken so far, so a sentence with thousands of numbers or dates is read in linear time.
"""

from __future__ import annotations


class Taken:
    """The characters of a text of ``size`` characters that earlier matches cover."""

    __slots__ = ("marks",)

    def __init__(self, size: int) -> None:
        self.marks = bytearray(size)

    def add(self, span: tuple[int, int]) -> None:
        start, end = span
        if end > start:
            self.marks[start:end] = b"\x01" * (end - start)

    def overlaps(self, span: tuple[int, int]) -> bool:
        """Whether any character of ``span`` (start, end) is covered."""
        start, end = span
        return end > start and self.marks.find(1, start, end) != -1
