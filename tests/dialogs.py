"""Answering the window's questions in tests: QMessageBox.question patched to one answer, and
the file dialogs to the files a test chose."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QMessageBox


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


class FileChoices:
    """QFileDialog's save and open dialogs answer `save_path` and `open_path` ('' : the user
    cancelled, the default); `asked` collects the dialogs' titles."""

    def __init__(self, monkeypatch) -> None:
        self.save_path = ""
        self.open_path = ""
        self.asked: list[str] = []
        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(self._save))
        monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(self._open))

    def _save(self, parent, title, *args, **kwargs) -> tuple[str, str]:
        self.asked.append(title)
        return self.save_path, ""

    def _open(self, parent, title, *args, **kwargs) -> tuple[str, str]:
        self.asked.append(title)
        return self.open_path, ""
