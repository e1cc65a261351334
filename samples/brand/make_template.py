"""Writes samples/brand/template.pptx: the sample firm's 16:9 master (layouts Title, Content,
Charts) in the colours of brand.toml beside it, its Chinese set in the bundled face so the
sample deck embeds the font it uses (fonts that travel).
Run: python samples/brand/make_template.py"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))  # run from anywhere, without installing

from publisher.atomic import write_atomically  # noqa: E402
from publisher.render.pptx.embed import BUNDLED_FACE  # noqa: E402
from publisher.render.pptx.master import brand_from_toml, build_template  # noqa: E402


def main() -> None:
    out = HERE / "template.pptx"
    write_atomically(out, build_template(brand_from_toml(HERE / "brand.toml"), BUNDLED_FACE))
    print(out)


if __name__ == "__main__":
    main()
