"""A tiny RGB raster with filled rectangles and a 3x5 pixel font, saved as PNG with zlib + struct.

The fallback chart renderer when matplotlib is not installed (it is not a dependency). It knows
upper-case letters, digits and a little punctuation (lower case is drawn as upper case, anything
else as "?"); it does not anti-alias, draw lines at angles or read PNGs.
"""

from __future__ import annotations

import struct
import zlib

Color = tuple[int, int, int]

# Each glyph: 5 rows of 3 pixels, "#" on.
_GLYPHS = {
    "A": ".#. #.# ### #.# #.#", "B": "##. #.# ##. #.# ##.", "C": ".## #.. #.. #.. .##",
    "D": "##. #.# #.# #.# ##.", "E": "### #.. ##. #.. ###", "F": "### #.. ##. #.. #..",
    "G": ".## #.. #.# #.# .##", "H": "#.# #.# ### #.# #.#", "I": "### .#. .#. .#. ###",
    "J": "..# ..# ..# #.# .#.", "K": "#.# #.# ##. #.# #.#", "L": "#.. #.. #.. #.. ###",
    "M": "#.# ### ### #.# #.#", "N": "##. #.# #.# #.# #.#", "O": ".#. #.# #.# #.# .#.",
    "P": "##. #.# ##. #.. #..", "Q": ".#. #.# #.# ##. .##", "R": "##. #.# ##. #.# #.#",
    "S": ".## #.. .#. ..# ##.", "T": "### .#. .#. .#. .#.", "U": "#.# #.# #.# #.# ###",
    "V": "#.# #.# #.# #.# .#.", "W": "#.# #.# ### ### #.#", "X": "#.# #.# .#. #.# #.#",
    "Y": "#.# #.# .#. .#. .#.", "Z": "### ..# .#. #.. ###",
    "0": "### #.# #.# #.# ###", "1": ".#. ##. .#. .#. ###", "2": "##. ..# .#. #.. ###",
    "3": "##. ..# .#. ..# ##.", "4": "#.# #.# ### ..# ..#", "5": "### #.. ##. ..# ##.",
    "6": ".## #.. ### #.# ###", "7": "### ..# .#. .#. .#.", "8": "### #.# ### #.# ###",
    "9": "### #.# ### ..# ##.", " ": "... ... ... ... ...", "_": "... ... ... ... ###",
    "-": "... ... ### ... ...", ".": "... ... ... ... .#.", "%": "#.# ..# .#. #.. #.#",
    "@": ".#. #.# ### #.. .##", ":": "... .#. ... .#. ...", "/": "..# ..# .#. #.. #..",
    "(": ".#. #.. #.. #.. .#.", ")": ".#. ..# ..# ..# .#.", "+": "... .#. ### .#. ...",
    "=": "... ### ... ### ...", ",": "... ... ... .#. #..", "?": "##. ..# .#. ... .#.",
}
GLYPH_W, GLYPH_H = 3, 5


class Canvas:
    """width x height RGB pixels; (0, 0) is the top-left corner."""

    def __init__(self, width: int, height: int, background: Color = (255, 255, 255)) -> None:
        self.width = width
        self.height = height
        self._rows = [bytearray(bytes(background) * width) for _ in range(height)]

    def rect(self, x0: int, y0: int, x1: int, y1: int, color: Color) -> None:
        """Fill [x0, x1) x [y0, y1), clipped to the canvas."""
        x0, x1 = max(0, min(x0, x1)), min(self.width, max(x0, x1))
        y0, y1 = max(0, min(y0, y1)), min(self.height, max(y0, y1))
        if x0 >= x1:
            return
        run = bytes(color) * (x1 - x0)
        for y in range(y0, y1):
            self._rows[y][3 * x0:3 * x1] = run

    def text(self, x: int, y: int, text: str, color: Color = (0, 0, 0), scale: int = 1) -> None:
        """Draw `text` with its top-left corner at (x, y); glyphs are 3x5 pixels times `scale`."""
        for i, ch in enumerate(text.upper()):
            glyph = _GLYPHS.get(ch, _GLYPHS["?"]).split()
            gx = x + i * (GLYPH_W + 1) * scale
            for row, bits in enumerate(glyph):
                for col, bit in enumerate(bits):
                    if bit == "#":
                        self.rect(gx + col * scale, y + row * scale, gx + (col + 1) * scale,
                                  y + (row + 1) * scale, color)

    def png(self) -> bytes:
        return encode_png(self.width, self.height, b"".join(b"\x00" + bytes(r) for r in self._rows))


def text_width(text: str, scale: int = 1) -> int:
    return max(0, len(text) * (GLYPH_W + 1) * scale - scale)


def encode_png(width: int, height: int, scanlines: bytes) -> bytes:
    """A PNG of 8-bit RGB pixels; `scanlines` is each row prefixed by its filter byte (0: none)."""
    if len(scanlines) != height * (1 + 3 * width):
        raise ValueError("scanlines do not match the image size")

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit, RGB, no interlace
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(scanlines, 9))
            + chunk(b"IEND", b""))
