"""The tool as a user installs it: the wheel built from this checkout, installed into a fresh virtual
environment, run through the console script that ``pip install`` creates.

Used by the benchmark runner (the first answer is measured as a user meets it) and by the test of
the installed package. The wheel is built without network access (no build isolation: hatchling
comes with the test extra) and installed without its dependencies into a virtual environment that
borrows them from the running one, so the whole takes seconds. pip compiles the installed package's
bytecode, as it does for any user.
"""

from __future__ import annotations

import site
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def install_wheel(base: Path, *, dependencies: bool = False) -> Path:
    """Build the wheel into ``base/dist``, install it into the virtual environment ``base/venv``, and
    return that environment's ``bin`` folder (holding ``negotiation`` and ``python``).

    With ``dependencies``, pip installs the core dependencies into the environment as for any user
    (from the package index pip is configured with, or its cache); without, they are borrowed from
    the running environment, which may hold more (the extras, and what they pull in).
    """
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", base / "dist", ROOT],
        check=True,
        capture_output=True,
    )
    (wheel,) = (base / "dist").glob("negotiation-*.whl")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    python = venv / "bin" / "python"
    target = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if dependencies:
        install = ["install", "-q", wheel]
    else:
        # The dependencies come from the running environment; its editable install of negotiation does
        # not (a path in a .pth file is added as it is; the .pth files inside it are not run).
        borrowed = sorted({p for p in (*site.getsitepackages(), sysconfig.get_paths()["purelib"]) if Path(p).is_dir()})
        (Path(target) / "borrowed-dependencies.pth").write_text("\n".join(borrowed) + "\n", encoding="utf-8")
        install = ["install", "-q", "--no-deps", "--no-index", wheel]
    subprocess.run([sys.executable, "-m", "pip", "--python", python, *install], check=True, capture_output=True)
    return venv / "bin"
