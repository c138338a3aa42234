"""Can Qt open a window here? Checked before Qt starts, so a missing display is one clear line
instead of Qt aborting the process."""

from __future__ import annotations

import ctypes.util
import os
import sys

from firstcontact.i18n import _

# Libraries Qt's xcb platform plugin needs, with the Debian packages that provide them.
_XCB_LIBS = {
    "xcb-cursor": "libxcb-cursor0",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-shape": "libxcb-shape0",
    "EGL": "libegl1",
    "fontconfig": "libfontconfig1",
}
_HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc")


def display_problem() -> str | None:
    """A one-line explanation when no window can be opened, else None."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.split(":")[0] in _HEADLESS_PLATFORMS or not sys.platform.startswith("linux"):
        return None
    wayland = bool(os.environ.get("WAYLAND_DISPLAY"))
    x11 = bool(os.environ.get("DISPLAY"))
    if not wayland and not x11:
        return _("no display: DISPLAY and WAYLAND_DISPLAY are not set. Start firstcontact from a "
                 "desktop session (for a virtual one, install the Debian package xvfb and run "
                 "'xvfb-run firstcontact').")
    if x11 and not wayland:
        missing = [pkg for lib, pkg in _XCB_LIBS.items() if ctypes.util.find_library(lib) is None]
        if missing:
            return _("Qt cannot open a window: missing libraries; install the Debian packages: "
                     "{packages}").format(packages=" ".join(missing))
    return None
