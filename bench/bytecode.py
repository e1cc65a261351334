"""Benchmark aid: compile publisher's bytecode before timing fresh processes, as installing it
does. pip compiles an installed package; a checkout run with PYTHONDONTWRITEBYTECODE=1 (as on
the bench machine) would otherwise compile ~60 modules from source in every process, ~0.1 s
a build that no installed publisher pays."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "publisher"


def compiled() -> str:
    """Compile the package (existing bytecode is reused by Python whatever that setting)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(PACKAGE)], check=True)
    return "bytecode compiled first, as an installed publisher has it"
