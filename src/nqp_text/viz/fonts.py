"""Find a font with Chinese glyphs and use it without touching global settings.

matplotlib's default font (DejaVu Sans) has no Chinese glyphs: on a bare Linux
server every Chinese label becomes an empty box. :func:`find_cjk_font` looks,
in this order, for

1. an explicit ``path`` argument, else the ``NQP_TEXT_CJK_FONT`` environment
   variable (a .ttf, .otf or .ttc file);
2. a system font: the families listed in ``viz/data/cjk_fonts.txt`` in that
   order (Noto Sans CJK, Source Han, WenQuanYi, Microsoft YaHei, SimHei, ...),
   then any other installed font that covers common Chinese characters;
3. the Noto Sans CJK SC file shipped by the optional ``mplfonts`` package
   (``pip install "nqp-text[fonts]"``); it is located on disk, not imported,
   so its habit of rewriting matplotlib's rc settings never runs;

and raises :class:`CJKFontNotFoundError`, which says how to get one, when none
is there. :func:`cjk_rc` registers the file with matplotlib's font manager and
applies it inside a ``matplotlib.rc_context`` only, so the caller's rcParams are
the same afterwards. Text created inside the context keeps the font.

Example:
    >>> from nqp_text.viz.fonts import cjk_rc
    >>> import matplotlib.pyplot as plt
    >>> with cjk_rc() as font:  # doctest: +SKIP
    ...     fig, ax = plt.subplots(); ax.set_title("新质生产力")
    >>> font.missing("新质生产力")  # doctest: +SKIP
    set()
"""

from __future__ import annotations

import base64
import contextlib
import functools
import importlib.util
import io
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from nqp_text.errors import DependencyError, OptionError

ENV_VAR = "NQP_TEXT_CJK_FONT"
#: Characters a font must cover to count as a Chinese font.
PROBE = "新质生产力数字经济发展年报告"
SOURCES = ("environment", "system", "package")

INSTALL_HELP = (
    "No font with Chinese glyphs was found, so Chinese text in charts would be drawn "
    "as empty boxes. Get one of these and run again:\n"
    '  pip install "nqp-text[fonts]"          # Noto Sans CJK SC via mplfonts (~85 MB wheel)\n'
    "  sudo apt install fonts-noto-cjk        # Debian/Ubuntu system font "
    "(or the smaller fonts-wqy-microhei)\n"
    f"  export {ENV_VAR}=/path/to/font.ttf   # any .ttf/.otf/.ttc with Chinese glyphs"
)


class CJKFontNotFoundError(DependencyError, RuntimeError):
    """No usable font with Chinese glyphs; the message says how to install one."""


@dataclass(frozen=True)
class CJKFont:
    """A font file with Chinese glyphs, its family name and where it was found."""

    path: Path
    family: str
    source: str

    def codepoints(self) -> frozenset[int]:
        """Every code point the font has a glyph for (from its cmap table)."""
        return _codepoints(str(self.path))

    def missing(self, text: Iterable[str]) -> set[str]:
        """Characters of ``text`` (whitespace ignored) the font has no glyph for."""
        covered = self.codepoints()
        return {char for char in "".join(text) if not char.isspace() and ord(char) not in covered}

    def properties(self, size: float | None = None):  # -> matplotlib FontProperties
        """A ``FontProperties`` pointing at this file, for ``fontproperties=`` arguments."""
        from matplotlib.font_manager import FontProperties

        return FontProperties(fname=str(self.path), size=size)


@functools.lru_cache(maxsize=8)
def _codepoints(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    options = {"fontNumber": 0} if path.lower().endswith((".ttc", ".otc")) else {}
    with TTFont(path, lazy=True, **options) as font:
        return frozenset(font.getBestCmap() or {})


def _family_name(path: str) -> str | None:
    from matplotlib import ft2font

    try:
        return ft2font.FT2Font(path).family_name
    except (OSError, RuntimeError, ValueError):
        return None


def _preferred_families() -> list[str]:
    text = resources.files("nqp_text.viz").joinpath("data/cjk_fonts.txt").read_text("utf-8")
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def _covers_probe(path: str) -> bool:
    try:
        covered = _codepoints(path)
    except Exception:  # fontTools raises many kinds of errors on odd font files
        return False
    return all(ord(char) in covered for char in PROBE)


def _system_font(candidates: Sequence[str]) -> CJKFont | None:
    preferred = {name.casefold(): rank for rank, name in enumerate(_preferred_families())}
    ranked: list[tuple[int, str, str]] = []
    for path in sorted(set(candidates)):
        family = _family_name(path)
        if family is None:
            continue
        if not _covers_probe(path):
            continue
        rank = preferred.get(family.casefold(), len(preferred))
        ranked.append((rank, path, family))
    if not ranked:
        return None
    _rank, path, family = min(ranked)
    return CJKFont(Path(path), family, "system")


def _package_font() -> CJKFont | None:
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        path = Path(location) / "fonts" / "NotoSansCJKsc-Regular.otf"
        if path.is_file():
            return CJKFont(path, _family_name(str(path)) or "Noto Sans CJK SC", "package")
    return None


def _explicit_font(path: str | os.PathLike[str], source: str) -> CJKFont:
    path = Path(path)
    if not path.is_file():
        raise CJKFontNotFoundError(f"{path}: font file not found ({source})")
    family = _family_name(str(path))
    if family is None:
        raise CJKFontNotFoundError(f"{path}: not a font file matplotlib can read ({source})")
    if not _covers_probe(str(path)):
        raise CJKFontNotFoundError(f"{path}: this font has no Chinese glyphs ({source})")
    return CJKFont(path, family, source)


def find_cjk_font(path: str | os.PathLike[str] | None = None, *,
                  sources: Sequence[str] = SOURCES) -> CJKFont:
    """Return the font to draw Chinese with (see the module docstring for the order).

    ``sources`` limits where to look (``"environment"``, ``"system"``,
    ``"package"``); an explicit ``path`` always wins.

    Example:
        >>> find_cjk_font().family  # doctest: +SKIP
        'Noto Sans CJK SC'
    """
    unknown = set(sources) - set(SOURCES)
    if unknown:
        raise OptionError(f"unknown font sources {sorted(unknown)}; choose from {SOURCES}")
    if path is not None:
        return _explicit_font(path, "explicit")
    if "environment" in sources and os.environ.get(ENV_VAR):
        return _explicit_font(os.environ[ENV_VAR], f"{ENV_VAR} environment variable")
    if "system" in sources:
        from matplotlib import font_manager

        found = _system_font(font_manager.findSystemFonts())
        if found is not None:
            return found
    if "package" in sources:
        found = _package_font()
        if found is not None:
            return found
    raise CJKFontNotFoundError(INSTALL_HELP)


def register(font: CJKFont) -> None:
    """Make matplotlib's font manager know ``font`` (idempotent; rcParams untouched)."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    if not any(entry.fname == str(font.path) for entry in manager.ttflist):
        manager.addfont(str(font.path))


@contextlib.contextmanager
def cjk_rc(font: CJKFont | None = None) -> Iterator[CJKFont]:
    """Draw with a Chinese font inside the ``with`` block; rcParams are restored after.

    Example:
        >>> with cjk_rc() as font:  # doctest: +SKIP
        ...     fig = make_figure()
    """
    import matplotlib

    font = font or find_cjk_font()
    register(font)
    settings = {"font.family": [font.family, "DejaVu Sans"], "axes.unicode_minus": False}
    with matplotlib.rc_context(settings):
        yield font


def figure_text(figure) -> str:
    """All text a matplotlib figure draws (titles, labels, ticks, legends, annotations)."""
    from matplotlib.text import Text

    figure.canvas.draw()
    return "".join(artist.get_text() for artist in figure.findobj(Text)
                   if artist.get_visible() and artist.get_text())


def figure_fonts(figure) -> set[str]:
    """The font files matplotlib resolves for every visible non-empty text of ``figure``."""
    from matplotlib import font_manager
    from matplotlib.text import Text

    figure.canvas.draw()
    return {font_manager.findfont(artist.get_fontproperties())
            for artist in figure.findobj(Text) if artist.get_visible() and artist.get_text()}


def font_face_css(font: CJKFont, text: str, family: str = "NQP CJK") -> str:
    """A CSS ``@font-face`` rule embedding the subset of ``font`` needed for ``text``.

    An HTML page then shows its Chinese on machines with no Chinese font at
    all, at the cost of a few hundred kilobytes rather than the whole file.

    Example:
        >>> css = font_face_css(find_cjk_font(), "新质生产力")  # doctest: +SKIP
    """
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff"
    options.font_number = 0
    loaded = subset.load_font(str(font.path), options)
    buffer = io.BytesIO()
    try:
        subsetter = subset.Subsetter(options)
        subsetter.populate(text="".join(sorted(set(text) | set(PROBE))))
        subsetter.subset(loaded)
        subset.save_font(loaded, buffer, options)
    finally:
        loaded.close()  # the font file stays open until closed (a ResourceWarning)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (f'@font-face {{ font-family: "{family}"; '
            f'src: url(data:font/woff;base64,{data}) format("woff"); }}')
