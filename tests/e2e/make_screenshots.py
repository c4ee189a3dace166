"""Screenshots of Huashu's main windows in Chinese, for the README.

    .venv/bin/python tests/e2e/make_screenshots.py docs/screenshots

Starts Xvfb + openbox + trayer (see xenv.py), prepares a temporary HUASHU_HOME (profile,
an extra phrase with fill-in fields, some recorded usage), then:

- runs the real tray app with LANG=zh_CN.UTF-8 and captures the picker, the fill-in form
  and the tray menu with xdotool + ImageMagick, cropped to the windows;
- runs this script again in ``--widgets`` mode (a separate Qt process on the same display,
  zh_CN translator installed like app/main.py does) to grab the settings window pages and
  the import dialog with ``QWidget.grab()``.

Images are reduced to 256 colours when that keeps them under the size budget.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

MAX_BYTES = 200_000
SCREEN = (1280, 800)  # xenv.start_xserver
AGENT = ("--agent-no", "7", "--agent-name", "阿华", "--shop", "小美服饰旗舰店")
EXTRA_SHOP = "小美童装店"
FILLIN_CODE = "fhtx"
FILLIN_PHRASE_ID = "shot-shipped-notice"
FILLIN_BODY = (
    "{顾客}您好，您的订单已经通过{choice:快递|顺丰|中通|圆通|韵达}发出，"
    "预计{date+3d:%m月%d日}前送达，单号是{input:快递单号}，请注意查收。"
)
QIANNIU_CSV = (
    "快捷短语编码,快捷短语,快捷短语分组\r\n"
    "cf1,亲，您的订单还没有付款哦，库存有限，喜欢的话尽快下单吧~,催付\r\n"
    "cf9,亲，今天下单付款，明天就能发货哦~,催付\r\n"
    "wl8,亲，快递已经在路上了，请耐心等待一下哦~,物流\r\n"
    "sh5,亲，收到商品有任何问题都可以联系我们处理哦~,售后\r\n"
    "td1,您好，这里是团队统一欢迎语。,团队\r\n"
    "td2,感谢您的耐心等待，祝您生活愉快！,团队\r\n"
)
# Phrase id -> uses, spread over the last two weeks (for the statistics page).
USAGE = {
    "greeting-welcome": 46,
    "payment-reminder-gentle": 31,
    "logistics-shipped": 24,
    "aftersales-return": 12,
    "bargaining-no-discount": 9,
}


# -- preparing the data directory ---------------------------------------------------------
def prepare_home(home: Path, env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "app", "profile", *AGENT], env=env, check=True, timeout=60
    )
    subprocess.run(
        [sys.executable, "-m", "app", "profile", "--shop", EXTRA_SHOP],
        env=env,
        check=True,
        timeout=60,
    )
    subprocess.run(
        [sys.executable, "-m", "app", "profile", "--shop", AGENT[-1]],
        env=env,
        check=True,
        timeout=60,
    )
    from app.core.fsutil import Paths
    from app.core.model import Phrase, now_iso
    from app.core.workspace import Workspace

    ws = Workspace.open(Paths(home))
    try:
        cat = "logistics" if ws.library.category("logistics") else ws.library.categories[0].id
        ws.library.add_phrase(
            Phrase(
                id=FILLIN_PHRASE_ID,
                title="发货通知（填写）",
                body=FILLIN_BODY,
                category=cat,
                code=FILLIN_CODE,
                tags=["发货"],
                created=now_iso(),
                updated=now_iso(),
            )
        )
        ws.save_library()
        known = {p.id for p in ws.library.phrases}
        ids = [pid for pid in USAGE if pid in known]
        # Fall back to the first phrases when built-in ids differ from the list above.
        ids += [p.id for p in ws.library.phrases if p.id not in ids][: 5 - len(ids)]
        counts = list(USAGE.values())
        now = time.time()
        for pid, count in zip(ids, counts, strict=False):
            for i in range(count):
                ws.usage.record(pid, now - (i * 7919 % 14) * 86400 - i * 60)
    finally:
        ws.close()


# -- capturing ------------------------------------------------------------------------------
def shrink(path: Path) -> None:
    """Reduce to 256 colours if the PNG is over budget (text stays sharp)."""
    if path.stat().st_size <= MAX_BYTES:
        return
    subprocess.run(["convert", str(path), "-colors", "256", f"PNG8:{path}"], check=True)


def visible_windows(xs, pid: int) -> list[tuple[int, int, int, int]]:  # type: ignore[no-untyped-def]
    """Geometry (x, y, w, h) of the process's visible top-level windows, tray icon aside."""
    out = []
    for wid in xs.xdotool("search", "--onlyvisible", "--pid", str(pid), "").split():
        geo = xs.xdotool("getwindowgeometry", "--shell", wid)
        vals = dict(line.split("=", 1) for line in geo.splitlines() if "=" in line)
        x, y, w, h = (int(vals[k]) for k in ("X", "Y", "WIDTH", "HEIGHT"))
        if 60 <= w < SCREEN[0] and 40 <= h < SCREEN[1]:  # not the root/desktop window
            out.append((x, y, w, h))
    return out


def capture_region(  # type: ignore[no-untyped-def]
    xs, boxes: list[tuple[int, int, int, int]], path: Path, *, union: bool = False
) -> None:
    """Crop a screen shot to the largest box (a window with its frame), or to the union of
    all boxes (a menu with its submenu)."""
    if not boxes:
        raise RuntimeError(f"nothing visible to capture for {path.name}")
    if not union:
        boxes = [max(boxes, key=lambda b: b[2] * b[3])]
    pad = 0
    x0 = max(0, min(b[0] for b in boxes) - pad)
    y0 = max(0, min(b[1] for b in boxes) - pad)
    x1 = max(b[0] + b[2] for b in boxes) + pad
    y1 = max(b[1] + b[3] for b in boxes) + pad
    full = path.with_suffix(".full.png")
    xs.screenshot(full)
    subprocess.run(
        ["convert", str(full), "-crop", f"{x1 - x0}x{y1 - y0}+{x0}+{y0}", "+repage", str(path)],
        check=True,
    )
    full.unlink()
    if union and len(boxes) > 1:
        # Outside the windows (a menu and its submenu) is transparent, not black desktop.
        rects = " ".join(
            f"rectangle {b[0] - x0},{b[1] - y0} {b[0] - x0 + b[2] - 1},{b[1] - y0 + b[3] - 1}"
            for b in boxes
        )
        subprocess.run(
            [
                "convert",
                str(path),
                "(",
                "-size",
                f"{x1 - x0}x{y1 - y0}",
                "xc:black",
                "-fill",
                "white",
                "-draw",
                rects,
                ")",
                "-alpha",
                "off",
                "-compose",
                "CopyOpacity",
                "-composite",
                str(path),
            ],
            check=True,
        )
    shrink(path)
    print(f"wrote {path}", flush=True)


def capture_app(xs, home: Path, out: Path) -> None:  # type: ignore[no-untyped-def]
    from xenv import huashu_env, start_huashu, stop, wait_for

    os.environ["LANG"] = "zh_CN.UTF-8"
    # start_huashu uses huashu_env, which forces LANG=en_US: patch the env it builds.
    env = huashu_env(xs, home)
    env["LANG"] = env["LC_ALL"] = "zh_CN.UTF-8"
    xs.env.update(LANG="zh_CN.UTF-8", LC_ALL="zh_CN.UTF-8")
    import xenv

    xenv.huashu_env = lambda _xs, _home: env  # type: ignore[assignment]
    h = start_huashu(xs, home)
    pid = h.proc.pid
    try:
        time.sleep(1.5)  # warm-up: search index and picker are built after "ready"
        # Picker after typing "cf".
        xs.xdotool("key", "--clearmodifiers", "ctrl+alt+space")
        wait_for(lambda: visible_windows(xs, pid), 10, what="the picker")
        time.sleep(0.4)
        xs.xdotool("type", "--delay", "60", "cf")
        time.sleep(0.8)
        capture_region(xs, visible_windows(xs, pid), out / "picker.png")
        xs.xdotool("key", "Escape")
        time.sleep(0.5)

        # Fill-in form: picker, type the phrase's code, Enter.
        xs.xdotool("key", "--clearmodifiers", "ctrl+alt+space")
        wait_for(lambda: visible_windows(xs, pid), 10, what="the picker")
        time.sleep(0.4)
        xs.xdotool("type", "--delay", "60", FILLIN_CODE)
        time.sleep(0.6)
        xs.xdotool("key", "Return")
        time.sleep(1.0)
        xs.xdotool("type", "--delay", "60", "Zhang")
        time.sleep(0.5)
        capture_region(xs, visible_windows(xs, pid), out / "fillin.png")
        xs.xdotool("key", "Escape")
        time.sleep(0.5)

        # Tray menu with the first category submenu open.
        log = home / "logs" / "huashu.log"
        line = wait_for(
            lambda: next(
                (ln for ln in log.read_text("utf-8").splitlines() if "tray geometry" in ln), ""
            ),
            10,
            what="tray geometry in the log",
        )
        x, y, w, hgt = (int(v) for v in line.rsplit(" ", 1)[1].split(","))
        xs.xdotool("mousemove", str(x + w // 2), str(y + hgt // 2), "click", "3")
        time.sleep(0.8)
        xs.xdotool("key", "Down")
        xs.xdotool("key", "Right")
        time.sleep(0.6)
        capture_region(xs, visible_windows(xs, pid), out / "tray-menu.png", union=True)
        xs.xdotool("key", "Escape")
        xs.xdotool("key", "Escape")
        capture_panel(xs, h, out)
    finally:
        stop(h.proc)


def window_box(xs, wid: str) -> tuple[int, int, int, int]:  # type: ignore[no-untyped-def]
    """The client window's absolute geometry (xwininfo; xdotool adds the frame offset
    twice under openbox)."""
    info = subprocess.run(
        ["xwininfo", "-id", wid], env=xs.env, capture_output=True, text=True, timeout=5
    ).stdout
    vals = {}
    for line in info.splitlines():
        key, _, value = line.strip().partition(":")
        vals[key] = value.strip()
    return (
        int(vals["Absolute upper-left X"]),
        int(vals["Absolute upper-left Y"]),
        int(vals["Width"]),
        int(vals["Height"]),
    )


def frame_extents(xs, wid: str) -> tuple[int, int, int, int]:  # type: ignore[no-untyped-def]
    """The window manager's frame around ``wid`` (left, right, top, bottom)."""
    out = subprocess.run(
        ["xprop", "-id", wid, "_NET_FRAME_EXTENTS"],
        env=xs.env,
        capture_output=True,
        text=True,
        timeout=5,
    ).stdout
    if "=" not in out:
        return (0, 0, 0, 0)
    values = [int(v) for v in out.split("=", 1)[1].split(",")]
    return (values[0], values[1], values[2], values[3])


def capture_panel(xs, h, out: Path) -> None:  # type: ignore[no-untyped-def]
    """The docked panel (Ctrl+Alt+Q) beside a chat-like window, with a reply pasted."""
    from xenv import stop, wait_for

    chat_dir = Path(tempfile.mkdtemp(prefix="huashu-shot-chat-"))
    chat = subprocess.Popen(
        [sys.executable, str(HERE / "chat_target.py"), str(chat_dir), "huashuchat", "--demo"],
        env=xs.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: (chat_dir / "ready").exists(), 15, what="the chat window")
        wid = wait_for(lambda: xs.xdotool("search", "--name", "接待中心"), 10, what="chat id")
        wid = wid.split()[0]
        xs.xdotool("windowactivate", "--sync", wid)
        time.sleep(0.3)
        xs.xdotool("key", "--clearmodifiers", "ctrl+alt+q")
        panel = wait_for(
            lambda: xs.xdotool("search", "--onlyvisible", "--name", "话术面板"), 10, what="panel"
        ).split()[0]
        time.sleep(0.8)
        px, py, pw, ph = window_box(xs, panel)
        xs.xdotool("mousemove", str(px + pw // 2), str(py + 90))  # categories: 欢迎语
        xs.xdotool("click", "1")
        time.sleep(0.4)
        xs.xdotool("mousemove", str(px + pw // 2), str(py + 235), "click", "1")  # a reply
        wait_for(lambda: (chat_dir / "text.txt").read_text("utf-8").strip(), 10, what="paste")
        xs.xdotool("mousemove", str(px + pw // 2), str(py + 300))
        time.sleep(0.6)
        cx, cy, cw, ch = window_box(xs, wid)
        left, right, top, bottom = frame_extents(xs, wid)
        chat_box = (cx - left, cy - top, cw + left + right, ch + top + bottom)
        capture_region(xs, [chat_box, (px, py, pw, ph)], out / "panel.png", union=True)
    finally:
        stop(chat)


# -- in-process widgets (the settings window and the import dialog) -------------------------
def grab_widgets(home: Path, out: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from app.core.fsutil import Paths
    from app.core.workspace import Workspace
    from app.ui.import_dialog import ImportDialog
    from app.ui.settings.window import (
        PAGE_APPS,
        PAGE_GENERAL,
        PAGE_PHRASES,
        PAGE_PROFILE,
        PAGE_STATS,
        SettingsWindow,
    )
    from app.ui.translations import Translations

    app = QApplication([sys.argv[0]])
    app.setApplicationName("Huashu")
    # Keep the Translations object: it owns the .qm bytes the translator reads from.
    translations = Translations(app)
    if translations.apply("zh_CN") != "zh_CN" or len(translations.installed) < 1:
        raise RuntimeError("the zh_CN translation was not installed")
    ws = Workspace.open(Paths(home))

    def settle(ms: int = 400) -> None:
        deadline = time.monotonic() + ms / 1000
        while time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.02)

    def save(widget, name: str) -> None:  # type: ignore[no-untyped-def]
        settle()
        path = out / name
        widget.grab().save(str(path))
        shrink(path)
        print(f"wrote {path}", flush=True)

    from app.platform.window import NoWindowInfo

    win = SettingsWindow(ws, windows=NoWindowInfo())  # as in the app: "Pick a window" works
    win.show()
    settle(800)
    win.open_phrase(FILLIN_PHRASE_ID)
    settle()
    win.show_page(PAGE_PHRASES)
    save(win, "settings-phrases.png")
    for page, name in (
        (PAGE_PROFILE, "settings-profile.png"),
        (PAGE_GENERAL, "settings-general.png"),
        (PAGE_STATS, "settings-stats.png"),
        (PAGE_APPS, "settings-apps.png"),
    ):
        win.show_page(page)
        if page == PAGE_APPS:
            win.apps_page.select("qianniu")
        save(win, name)
    win.hide()

    csv_path = home / "千牛快捷短语.csv"
    csv_path.write_bytes(QIANNIU_CSV.encode("gbk"))
    dialog = ImportDialog(ws)
    dialog.show()
    settle()
    if not dialog.load_file(csv_path):
        raise RuntimeError("the import dialog did not load the CSV")
    save(dialog, "import-dialog.png")
    dialog.hide()
    ws.close()


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == "--widgets":
        grab_widgets(Path(argv[1]), Path(argv[2]))
        return 0
    if len(argv) != 1:
        print(__doc__)
        return 2
    out = Path(argv[0]).resolve()
    out.mkdir(parents=True, exist_ok=True)
    from xenv import start_xserver, stop_all

    xs, procs = start_xserver()
    try:
        with tempfile.TemporaryDirectory(prefix="huashu-shots-") as tmp:
            home = Path(tmp) / "home"
            env = dict(xs.env, HUASHU_HOME=str(home), LANG="zh_CN.UTF-8", LC_ALL="zh_CN.UTF-8")
            os.environ["HUASHU_HOME"] = str(home)
            prepare_home(home, env)
            subprocess.run(
                [sys.executable, __file__, "--widgets", str(home), str(out)],
                env=env,
                check=True,
                timeout=120,
            )
            capture_app(xs, home, out)
    finally:
        stop_all(procs)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
