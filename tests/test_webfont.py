"""An edition's HTML pages carry the packaged Chinese font (helpers.workflow.webfont): one subset
with every character the pages show, linked from each page by a relative URL."""

from fontTools.ttLib import TTFont

from helpers.workflow.webfont import FONT_FILE, embed_web_font

PAGE = "<!DOCTYPE html><html><head><title>{t}</title></head><body><p>{t}</p></body></html>"


def test_every_page_links_one_subset_with_its_characters(tmp_path):
    edition = tmp_path / "zh"
    (edition / "html").mkdir(parents=True)
    (edition / "profiles").mkdir()
    (edition / "index.html").write_text(PAGE.format(t="目录"), encoding="utf-8")
    (edition / "html" / "01.html").write_text(PAGE.format(t="培育现状"), encoding="utf-8")
    (edition / "profiles" / "ningbo.html").write_text(PAGE.format(t="宁波市"), encoding="utf-8")
    font = embed_web_font(edition, cache_dir=tmp_path / "cache")
    assert font == edition / "fonts" / FONT_FILE
    cmap = TTFont(font).getBestCmap()
    assert all(ord(c) in cmap for c in "目录培育现状宁波市")
    index = (edition / "index.html").read_text(encoding="utf-8")
    assert f'src: url("fonts/{FONT_FILE}")' in index
    for page in ("html/01.html", "profiles/ningbo.html"):
        text = (edition / page).read_text(encoding="utf-8")
        assert f'src: url("../fonts/{FONT_FILE}")' in text
        assert text.index("@font-face") < text.index("</head>")
    before = {p: p.read_bytes() for p in edition.rglob("*") if p.is_file()}
    embed_web_font(edition, cache_dir=tmp_path / "cache")  # published again: the same bytes
    assert {p: p.read_bytes() for p in edition.rglob("*") if p.is_file()} == before


def test_an_edition_without_pages_gets_no_font(tmp_path):
    assert embed_web_font(tmp_path, cache_dir=tmp_path / "cache") is None
    assert not (tmp_path / "fonts").exists()
