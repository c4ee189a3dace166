"""The settings window (phrases, profile, general, statistics)."""

from __future__ import annotations

from app.ui.settings.window import SettingsWindow

__all__ = ["SettingsWindow"]
