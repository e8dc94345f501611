"""Runs the search contract (tests/search_contract.py) against every engine registered in
archive.search.engines.ENGINES: registering an engine there is all it takes to hold it to it."""
from __future__ import annotations

import pytest

from archive.search.engines import ENGINES

pytest.register_assert_rewrite("tests.search_contract")  # its asserts explain their failures, as here
from tests.search_contract import SearchContract  # after the rewrite hook


@pytest.fixture(scope="module", params=sorted(ENGINES))
def engine_name(request) -> str:
    """The registered name of the engine under test."""
    return request.param


class TestSearchContract(SearchContract):
    """The whole contract, once per engine."""
