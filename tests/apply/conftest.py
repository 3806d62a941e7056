from __future__ import annotations

from pathlib import Path

import pytest

from apply.world import Demo, build, copy_demo


@pytest.fixture(scope="session")
def demo_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The scanned and planned demo world, built once per session (copy it with the `demo` fixture)."""
    folder = tmp_path_factory.mktemp("demo-base")
    build(folder)
    return folder


@pytest.fixture
def demo(demo_base: Path, tmp_path: Path) -> Demo:
    return copy_demo(demo_base, tmp_path / "demo")
