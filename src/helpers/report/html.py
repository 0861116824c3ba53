"""HTML pages of the report: an executed notebook's outputs (code hidden) in our page template."""

from __future__ import annotations

import html
import re
from pathlib import Path

CSS_PATH = Path(__file__).parent / "templates" / "report.css"

def export_html(executed: Path, target: Path, language: str) -> str:
    """Standalone HTML of the executed notebook: outputs only, our stylesheet, stable bytes."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(executed, as_version=4)
    for index, cell in enumerate(nb.cells):
        cell.id = f"cell-{index}"  # papermill's injected cell gets a random id
    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_markdown=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(nb)
    body = re.sub(r'\sid="cell-id=[^"]*"', "", body)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", body, flags=re.S)
    title = re.sub(r"<[^>]+>", "", heading.group(1)).strip() if heading else executed.stem
    page = (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if language == "zh" else "en"}">\n<head>\n'
        f'<meta charset="utf-8">\n<title>{html.escape(title)}</title>\n'
        f"<style>\n{CSS_PATH.read_text(encoding='utf-8')}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8")
    return page

def visible_text(page: str) -> str:
    """The characters a PDF of `page` can show (tags and the stylesheet removed)."""
    page = re.sub(r"<style.*?</style>|<script.*?</script>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", page))

def chapter_title(page: Path) -> str:
    found = re.search(r"<title>(.*?)</title>", page.read_text(encoding="utf-8"), flags=re.S)
    return html.unescape(found.group(1)) if found else page.stem
