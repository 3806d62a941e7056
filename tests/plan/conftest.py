from __future__ import annotations

import pytest

from tests.plan.org_world import Org, planned_org


@pytest.fixture(scope="session")
def org(tmp_path_factory: pytest.TempPathFactory) -> Org:
    """A four-account Organization, scanned and planned once by a single run (the sharded tests' yardstick)."""
    return planned_org(tmp_path_factory.mktemp("org"))
