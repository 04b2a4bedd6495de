"""Chinese drawn with real glyphs, not empty boxes: without a CJK font Chromium draws every character it
cannot find as the same .notdef box and raises nothing, so screenshots would silently show tofu."""

from __future__ import annotations

from e2e_support import Watched

# Draws one character in the page's own font stack and returns its pixels (dark or not) and ink count.
DRAW = """([text, family]) => {
  const canvas = document.createElement('canvas');
  canvas.width = 48; canvas.height = 48;
  const g = canvas.getContext('2d');
  g.fillStyle = '#fff'; g.fillRect(0, 0, 48, 48);
  g.fillStyle = '#000'; g.font = '36px ' + family; g.textBaseline = 'top';
  g.fillText(text, 4, 4);
  const data = g.getImageData(0, 0, 48, 48).data;
  let bits = '', ink = 0;
  for (let i = 0; i < data.length; i += 4) { const dark = data[i] < 128 ? 1 : 0; bits += dark; ink += dark; }
  return {bits, ink, width: g.measureText(text).width};
}"""
PRIVATE_USE = "\ue000"  # no font has a glyph here: what a missing glyph looks like in this browser


def test_chinese_is_drawn_in_distinct_glyphs_of_a_cjk_font(admin: Watched, server: str):
    page = admin.page
    page.goto(f"{server}/plan")
    family = page.evaluate("() => getComputedStyle(document.body).fontFamily")
    wen, zhou, box = (page.evaluate(DRAW, [text, family]) for text in ("温", "州", PRIVATE_USE))
    assert wen["ink"] > 0
    assert zhou["ink"] > 0
    assert wen["bits"] != zhou["bits"], "two different characters drawn alike: missing-glyph boxes"
    assert wen["bits"] != box["bits"], "a Chinese character drawn as the missing-glyph box"
    assert wen["width"] > 0
    assert page.evaluate("() => document.fonts.check('16px \"Noto Sans CJK SC\"', '温州')")


def test_the_pages_chinese_text_is_set_in_noto_sans_cjk(admin: Watched, server: str):
    """Which font Chromium actually used for the brand's text, as its developer tools report it."""
    page = admin.page
    page.goto(f"{server}/plan")
    session = page.context.new_cdp_session(page)
    try:
        session.send("DOM.enable")
        session.send("CSS.enable")
        root = session.send("DOM.getDocument")["root"]["nodeId"]
        brand = session.send("DOM.querySelector", {"nodeId": root, "selector": ".brand"})["nodeId"]
        fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": brand})["fonts"]
    finally:
        session.detach()
    families = {font["familyName"]: font["glyphCount"] for font in fonts}
    assert any(name.startswith("Noto Sans CJK") and count >= 6 for name, count in families.items()), (
        families
    )  # 职教政策落实平台: 8
