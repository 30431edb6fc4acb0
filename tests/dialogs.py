"""Answering the window's questions in tests: QMessageBox.question patched to one answer."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox


def answer(monkeypatch, button) -> list[str]:
    """QMessageBox.question answers button from now on; the list collects the questions asked.

    A test that answers Cancel answers Discard again before it ends: the window is closed
    after the test, and a Cancel would keep it (and its training thread) open.
    """
    asked: list[str] = []

    def question(parent, title, text, *args):
        asked.append(text)
        return button

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked
