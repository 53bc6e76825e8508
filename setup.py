"""Build hook: the wheel carries compiled translations.

The ``.mo`` catalogues are build output (ignored by git), so ``build_py`` compiles every
``marketplace/translations/*/LC_MESSAGES/messages.po`` with Babel into the build tree. All other
metadata lives in pyproject.toml.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

CATALOGUES = Path("marketplace") / "translations"


class build_py_with_catalogues(build_py):  # noqa: N801 - setuptools command naming
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the source tree: `make translations` compiles there
            return
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in sorted(CATALOGUES.glob("*/LC_MESSAGES/messages.po")):
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parent.parent.name)
            target = Path(self.build_lib) / po.with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as out:
                write_mo(out, catalog)
            self.announce(f"compiled {po} -> {target}", level=2)


setup(cmdclass={"build_py": build_py_with_catalogues})
