from datetime import datetime

import pytest
from conftest import load_pure

dl = load_pure("tools/deadline.py")

START = datetime(2025, 1, 31, 8, 0)


@pytest.mark.parametrize(
    ("number", "unit", "expected"),
    [
        (8, "hours", datetime(2025, 1, 31, 16, 0)),
        (48, "hours", datetime(2025, 2, 2, 8, 0)),
        (2, "days", datetime(2025, 2, 2, 8, 0)),
        (7, "days", datetime(2025, 2, 7, 8, 0)),
        (1, "months", datetime(2025, 2, 28, 8, 0)),
        (13, "months", datetime(2026, 2, 28, 8, 0)),
        (12, "months", datetime(2026, 1, 31, 8, 0)),
        (0.5, "hours", datetime(2025, 1, 31, 8, 30)),
    ],
)
def test_add_period(number, unit, expected):
    assert dl.add_period(START, number, unit) == expected


def test_add_months_leap_year():
    assert dl.add_months(datetime(2024, 1, 31), 1) == datetime(2024, 2, 29)
    assert dl.add_months(datetime(2024, 12, 15), 2) == datetime(2025, 2, 15)


def test_add_period_refuses_working_units():
    with pytest.raises(ValueError):
        dl.add_period(START, 4, "working_hours")


def test_working_hours():
    assert dl.working_hours(4, "working_hours", 8) == 4
    assert dl.working_hours(0.5, "working_days", 8) == 4
    assert dl.working_hours(2, "working_days", 7.5) == 15
    with pytest.raises(ValueError):
        dl.working_hours(1, "days", 8)


@pytest.mark.parametrize(
    ("number", "unit", "error"),
    [
        (8, "hours", None),
        (0, "hours", "number"),
        (-1, "days", "number"),
        (1, "weeks", "unit"),
        (None, "days", "number"),
    ],
)
def test_check_rule(number, unit, error):
    assert dl.check_rule(number, unit) == error


def test_due_soon_is_a_share_of_the_window():
    deadline = datetime(2025, 1, 31, 16, 0)
    assert dl.due_soon_at(START, deadline, 0.25) == datetime(2025, 1, 31, 14, 0)
    assert dl.due_soon_at(START, deadline, 0) == deadline
    assert dl.due_soon_at(START, deadline, 2) == START  # clamped to the whole window
    assert dl.due_soon_at(None, deadline, 0.25) == deadline


def test_due_soon_before_counts_a_fixed_notice():
    deadline = datetime(2025, 7, 1, 16, 0)
    assert dl.due_soon_before(deadline, 30) == datetime(2025, 6, 1, 16, 0)
    assert dl.due_soon_before(deadline, 0) == deadline
    assert dl.due_soon_before(deadline, -5) == deadline  # a negative notice is no notice
    assert dl.due_soon_before(deadline, None) == deadline


def test_deadline_state():
    deadline, due_soon = datetime(2025, 1, 31, 16, 0), datetime(2025, 1, 31, 14, 0)
    assert dl.deadline_state(datetime(2025, 1, 31, 9), deadline, None, due_soon) == dl.ON_TIME
    assert dl.deadline_state(datetime(2025, 1, 31, 14), deadline, None, due_soon) == dl.DUE_SOON
    assert dl.deadline_state(datetime(2025, 1, 31, 17), deadline, None, due_soon) == dl.OVERDUE
    assert (
        dl.deadline_state(datetime(2025, 1, 31, 17), deadline, datetime(2025, 1, 31, 15), due_soon) == dl.DONE
    )
    assert dl.deadline_state(datetime(2025, 1, 31, 17), None, None, None) == dl.ON_TIME
