"""Write one benchmark's section into a Markdown file in docs/, leaving the other sections as they are."""
from __future__ import annotations

import re
from pathlib import Path


def write_section(path: Path, heading: str, body: str, title: str = "# Performance") -> None:
    """Replace the section that starts with `heading` (a '## ' line) up to the next '## ', or append it."""
    text = path.read_text(encoding="utf-8") if path.exists() else f"{title}\n"
    section = f"{heading}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _: section + "\n", text) if pattern.search(text) else text.rstrip() + "\n\n" + section
    path.write_text(text.rstrip() + "\n", encoding="utf-8")
