"""A bounded fuzz run over the doors hostile input comes through (see tests/fuzz.py;
benchmarks/fuzz_hostile.py runs the same properties for 10,000+ cases)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from . import fuzz

FAST = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FAST
@given(fuzz.client_files())
def test_fuzz_client_files(case):
    fuzz.check_client_file(*case)


@FAST
@given(fuzz.plans())
def test_fuzz_plans(case):
    fuzz.check_plan_file(*case)


@FAST
@given(fuzz.roster_rows)
def test_fuzz_roster_rows(row):
    fuzz.check_roster_row(row)
