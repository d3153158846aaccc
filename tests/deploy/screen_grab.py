"""What a grab of the whole output shows: an X root window dump (`xwd -root`) or a PNG
(`grim`), as a QImage, and the ways a kiosk window can fail to cover it.

QImage needs no QApplication, so these run in the test process.
"""

from __future__ import annotations

import struct
from pathlib import Path

from PySide6.QtGui import QColor, QImage

from kiosk.ui.theme import Theme

_XWD_HEADER = struct.Struct(">25I")
_XWD_FIELDS = (
    "header_size",
    "file_version",
    "pixmap_format",
    "pixmap_depth",
    "width",
    "height",
    "xoffset",
    "byte_order",
    "bitmap_unit",
    "bitmap_bit_order",
    "bitmap_pad",
    "bits_per_pixel",
    "bytes_per_line",
    "visual_class",
    "red_mask",
    "green_mask",
    "blue_mask",
    "bits_per_rgb",
    "colormap_entries",
    "ncolors",
    "window_width",
    "window_height",
    "window_x",
    "window_y",
    "window_bdrwidth",
)
_COLORMAP_ENTRY = 12


def read_xwd(path: Path) -> QImage:
    """An `xwd` dump of a 24-bit TrueColor screen (what Xvfb -screen 0 WxHx24 gives)."""
    data = path.read_bytes()
    header = dict(zip(_XWD_FIELDS, _XWD_HEADER.unpack_from(data), strict=True))
    if header["file_version"] != 7 or header["pixmap_format"] != 2:  # ZPixmap
        raise ValueError(f"not an xwd ZPixmap dump: {header}")
    masks = (header["red_mask"], header["green_mask"], header["blue_mask"])
    if header["byte_order"] != 0 or masks != (0xFF0000, 0x00FF00, 0x0000FF):  # LSBFirst
        raise ValueError(f"expected LSB-first 8-bit RGB: {header}")
    start = header["header_size"] + header["ncolors"] * _COLORMAP_ENTRY
    width, height, stride = header["width"], header["height"], header["bytes_per_line"]
    pixels = data[start : start + stride * height]
    # xwd says 24 or 32 bits per pixel for the same server; the line length tells: 4 bytes a
    # pixel are 0x00RRGGBB little-endian (Format_RGB32's bytes), 3 are B, G, R.
    if stride >= width * 4:
        image_format = QImage.Format.Format_RGB32
    elif stride >= width * 3:
        image_format = QImage.Format.Format_BGR888
    else:
        raise ValueError(f"{stride} bytes per line for {width} pixels: {header}")
    image = QImage(pixels, width, height, stride, image_format)
    return image.convertToFormat(QImage.Format.Format_RGB32)


def read_png(path: Path) -> QImage:
    image = QImage(str(path))
    if image.isNull():
        raise ValueError(f"{path} is not an image")
    return image.convertToFormat(QImage.Format.Format_RGB32)


def coverage_problems(image: QImage, background: str, header: str) -> list[str]:
    """What shows that the window does not cover the whole output: pixels of the
    compositor's or X root's `background` (a whole row or column of it, or any pixel when
    `background` cannot be a kiosk colour), and the top edge not in the `header` colour."""
    problems: list[str] = []
    width, height = image.width(), image.height()
    bg = QColor(background).rgb()
    rows = [y for y in range(height) if _row_is(image, y, bg)]
    columns = [x for x in range(width) if _column_is(image, x, bg)]
    if rows:
        problems.append(f"{len(rows)} rows of background, first y={rows[0]}, last y={rows[-1]}")
    if columns:
        problems.append(
            f"{len(columns)} columns of background, first x={columns[0]}, last x={columns[-1]}"
        )
    top = QColor(header).rgb()
    band = sum(1 for x in range(width) if image.pixel(x, 1) == top)
    if band < width * 0.6:
        problems.append(f"only {band} of {width} pixels along the top edge in the header colour")
    # The header as tall as the kiosk makes it for this height: a window laid out for another
    # size (bigger than the output, so still covering it) shows a header of the wrong height.
    expected = Theme(height).header_height
    tall = next((y for y in range(height) if image.pixel(2, y) != top), height)
    if abs(tall - expected) > Theme(height).px(12):  # the burn-in shift moves it a little
        problems.append(f"the header is {tall} px tall, not {expected} (laid out for another size)")
    return problems


def count_pixels(image: QImage, color: str) -> int:
    """How many pixels are exactly `color` (fast: a byte search over the image's memory)."""
    target = struct.pack("<I", QColor(color).rgb() & 0xFFFFFFFF)
    data = bytes(image.constBits())
    found, at = 0, data.find(target)
    while at != -1:
        if at % 4 == 0:
            found += 1
        at = data.find(target, at + 1)
    return found


def _row_is(image: QImage, y: int, rgb: int) -> bool:
    return all(image.pixel(x, y) == rgb for x in range(0, image.width(), 7))


def _column_is(image: QImage, x: int, rgb: int) -> bool:
    return all(image.pixel(x, y) == rgb for y in range(0, image.height(), 7))
