"""Shared pytest fixtures."""

import pytest


@pytest.fixture
def small_province(db):
    """The test province of ansinh.testing.province (real map, users of every role, two households)."""
    from ansinh.testing.province import small_province_build

    return small_province_build()
