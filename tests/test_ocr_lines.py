"""How OCR'd lines become characters: spaces between words, bullets, light-on-dark text.

These rules run on RapidOCR's output (line boxes, text, per-character boxes);
they are checked here on small hand-made lines, without running the models.
"""

from __future__ import annotations

import numpy as np

from nqp_text.io.pdf._layout import build_fragments, build_lines
from nqp_text.io.pdf._ocr import (
    _after_spaces,
    _attach_bullets,
    _grey,
    _line_chars,
    _Pictures,
    _white_text,
)


def _tiled(text: str, left: float = 0.0, width: float = 10.0) -> list:
    """RapidOCR-style word results: one box per character, tiling without gaps."""
    letters = [c for c in text if not c.isspace()]
    return [(c, 1.0, [(left + i * width, 0), (left + (i + 1) * width, 0),
                      (left + (i + 1) * width, 20), (left + i * width, 20)])
            for i, c in enumerate(letters)]


def test_a_space_read_between_latin_words_survives_the_layout_rules() -> None:
    chars = _line_chars("联邦(federated sharing)", _tiled("联邦(federated sharing)"),
                        (0, 0, 220, 20), 1.0)
    assert [line.text for line in build_lines(build_fragments(chars))] == \
        ["联邦(federated sharing)"]
    joined = _line_chars("ab", _tiled("ab"), (0, 0, 20, 20), 1.0)
    assert build_fragments(joined)[0].text == "ab"  # no space read, none made


def test_spaces_are_counted_between_visible_characters() -> None:
    assert _after_spaces("ab cd  e") == [2, 4]
    assert _after_spaces(" ab") == []


def test_a_lone_bullet_joins_the_line_to_its_right_not_the_column_beside() -> None:
    sidebar = _line_chars("研究报告", _tiled("研究报告", 0), (0, 100, 40, 110), 1.0)
    sidebar = [c.__class__(**{**_fields(c), "top": 96.0, "bottom": 106.0}) for c in sidebar]
    bullet = _line_chars("●", _tiled("●", 48, 4), (48, 102, 52, 106), 1.0)
    bullet = [c.__class__(**{**_fields(c), "top": 102.0, "bottom": 106.0}) for c in bullet]
    body = _line_chars("事件公司", _tiled("事件公司", 58), (58, 99, 98, 110), 1.0)
    lines = _attach_bullets([sidebar, bullet, body])
    assert len(lines) == 2
    first = lines[1][0]
    assert first.text == "•" and first.x1 == body[0].x0 and first.top == body[0].top
    texts = sorted(f.text for f in build_fragments([c for line in lines for c in line]))
    assert texts == ["•事件公司", "研究报告"]


def test_a_symbol_with_no_line_beside_it_stays() -> None:
    alone = _line_chars("■", _tiled("■", 0, 4), (0, 0, 4, 4), 1.0)
    assert _attach_bullets([alone]) == [alone]


def test_light_text_on_a_dark_ground_is_white() -> None:
    image = np.full((40, 100, 3), 255, dtype=np.uint8)
    image[0:20, :, :] = (40, 60, 120)          # a coloured banner
    image[5:15, 10:30, :] = 255                # white letters on it
    image[25:35, 10:30, :] = 0                 # black letters on the white page
    assert _white_text(image, (0, 0, 100, 20)) is True
    assert _white_text(image, (0, 20, 100, 40)) is False


def test_grey_fades_pale_colours_and_keeps_print() -> None:
    # BGR: black, a pale blue watermark, a saturated orange heading, white
    image = np.array([[[0, 0, 0], [240, 192, 176], [32, 80, 240], [255, 255, 255]]],
                     dtype=np.uint8)
    grey = _grey(image)
    assert grey.shape == (1, 4, 3) and (grey[..., 0] == grey[..., 2]).all()
    black, watermark, heading, white = grey[0, :, 0].tolist()
    assert (black, watermark, white) == (0, 240, 255)
    assert heading < 128  # the heading keeps its contrast


def test_text_read_inside_a_picture_is_picture_text_unless_the_layer_has_text_there() -> None:
    pictures = _Pictures(boxes=[(0, 0, 100, 100)], points=[(50, 50)])
    assert pictures.holds((10, 10, 40, 20))        # a label in a figure
    assert not pictures.holds((40, 45, 90, 55))    # a line over text of the layer
    assert not pictures.holds((10, 150, 60, 160))  # outside every image
    assert not _Pictures([], []).holds((10, 10, 40, 20))


def _fields(char) -> dict:
    return {name: getattr(char, name) for name in char.__dataclass_fields__}


def test_spaces_read_around_digits_and_signs_are_left_to_the_geometry() -> None:
    chars = _line_chars("毛利率 35.0 %", _tiled("毛利率 35.0 %"), (0, 0, 80, 20), 1.0)
    assert build_fragments(chars)[0].text == "毛利率35.0%"
