"""Render the icon (an SVG) to the PNG sizes a Linux desktop uses, and to .ico (Windows) and
.icns (macOS), with Qt alone: `python packaging/icon/render.py OUT_DIR`.

Writes OUT_DIR/<size>x<size>/org.firstcontact.FirstContact.png for each size, and
OUT_DIR/org.firstcontact.FirstContact.ico / .icns."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

APP_ID = "org.firstcontact.FirstContact"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
SVG = Path(__file__).with_name(f"{APP_ID}.svg")


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main(out: Path) -> int:
    QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"render: {SVG} is not a valid SVG", file=sys.stderr)
        return 1
    for size in SIZES:
        target = out / f"{size}x{size}" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not render(renderer, size).save(str(target), "PNG"):
            print(f"render: could not write {target}", file=sys.stderr)
            return 1
    # Qt's own image plugins write the Windows and macOS formats (one size each is enough
    # for PyInstaller; the system scales)
    for fmt, size in (("ico", 256), ("icns", 512)):
        target = out / f"{APP_ID}.{fmt}"
        if not render(renderer, size).save(str(target), fmt.upper()):
            print(f"render: Qt cannot write .{fmt} here (its image plugin is missing)",
                  file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("build/icons")))
