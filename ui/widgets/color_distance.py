"""How different two colours look: CIE76 ΔE in CIELAB (sRGB, D65), from "#RRGGBB" strings.

ΔE ≈ 2 is the smallest difference most people notice; above ~25 two colours read as
different colours, not shades of one. Qt-free, so the rules can be tested without a display.
"""

from __future__ import annotations

from functools import lru_cache

# A colour this far (ΔE) from every label colour is never taken for a label.
DISTINCT = 25.0


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _f(t: float) -> float:
    return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29


@lru_cache(maxsize=256)
def lab(color: str) -> tuple[float, float, float]:
    """CIELAB (L*, a*, b*) of an opaque "#RRGGBB" colour."""
    value = color.lstrip("#")
    r, g, b = (_linear(int(value[i:i + 2], 16)) for i in (0, 2, 4))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    fx, fy, fz = _f(x), _f(y), _f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(first: str, second: str) -> float:
    """CIE76 colour difference between two "#RRGGBB" colours."""
    a, b = lab(first), lab(second)
    return float(sum((p - q) ** 2 for p, q in zip(a, b, strict=True)) ** 0.5)


def blend(under: str, over: str, alpha: float) -> str:
    """`over` laid on `under` at opacity `alpha`, as "#rrggbb"."""
    u, o = under.lstrip("#"), over.lstrip("#")
    channels = (round(int(u[i:i + 2], 16) + (int(o[i:i + 2], 16) - int(u[i:i + 2], 16)) * alpha)
                for i in (0, 2, 4))
    return "#" + "".join(f"{c:02x}" for c in channels)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21; 4.5 is enough for small text)."""
    def luminance(color: str) -> float:
        v = color.lstrip("#")
        r, g, b = (_linear(int(v[i:i + 2], 16)) for i in (0, 2, 4))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    hi, lo = sorted((luminance(first), luminance(second)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
