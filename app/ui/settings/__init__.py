"""The settings window (phrases, profile, general, statistics): ``window.SettingsWindow``.

Nothing is imported here: the tray app imports ``hotkey_edit`` at start-up (the recording
bus), and the window with its pages (~85 ms, several MB) only when it is first opened.
"""
