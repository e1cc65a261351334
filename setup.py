"""Build: the fonts/ and layouts/ folders go into the wheel as package data (publisher/_data)."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# What an installed publisher reads: the fonts with their licence, the layouts, their chart
# catalogs and templates. The top-level folders stay the one copy in the repository.
BUNDLED = {
    "fonts": ("*.ttf", "OFL.txt"),
    "layouts": ("*.toml", "charts/*.toml", "templates/*.j2"),
}


class BuildWithData(build_py):
    """build_py that also copies BUNDLED into publisher/_data of the build."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout's folders (publisher/assets.py)
        target = Path(self.build_lib) / "publisher" / "_data"
        for folder, patterns in BUNDLED.items():
            for pattern in patterns:
                for source in sorted((ROOT / folder).glob(pattern)):
                    copy = target / folder / source.relative_to(ROOT / folder)
                    self.mkpath(str(copy.parent))
                    self.copy_file(str(source), str(copy))


setup(cmdclass={"build_py": BuildWithData})
