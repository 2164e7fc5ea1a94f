"""Deadline arithmetic that needs no Odoo: calendar periods, due-soon thresholds, states.

Working-time units are turned into working hours here and planned on a resource.calendar by
res.company; everything else is plain calendar arithmetic on naive UTC datetimes.
"""

import calendar
from datetime import datetime, timedelta

UNITS = ("hours", "working_hours", "days", "working_days", "months")
WORKING_UNITS = ("working_hours", "working_days")

ON_TIME, DUE_SOON, OVERDUE, DONE = "on_time", "due_soon", "overdue", "done"


def check_rule(number, unit):
    """Return an error key for an invalid (number, unit) rule, or None when it is valid."""
    if unit not in UNITS:
        return "unit"
    if number is None or number <= 0:
        return "number"
    return None


def add_months(start: datetime, months: int) -> datetime:
    """Same day-of-month ``months`` later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day)


def add_period(start: datetime, number: float, unit: str) -> datetime:
    """Add a calendar period (hours, days or months) to ``start``."""
    if unit == "hours":
        return start + timedelta(hours=number)
    if unit == "days":
        return start + timedelta(days=number)
    if unit == "months":
        whole = int(number)
        end = add_months(start, whole)
        # A fractional month counts as 30 days per month, pro rata.
        return end + timedelta(days=round((number - whole) * 30, 6))
    raise ValueError(f"not a calendar unit: {unit}")


def working_hours(number: float, unit: str, hours_per_day: float) -> float:
    """Working hours in a working-time rule: ``working_days`` count the calendar's hours per day."""
    if unit == "working_hours":
        return number
    if unit == "working_days":
        return number * (hours_per_day or 8.0)
    raise ValueError(f"not a working-time unit: {unit}")


def due_soon_at(start: datetime, deadline: datetime, share: float) -> datetime:
    """The moment a deadline becomes 'due soon': when ``share`` (0-1) of its window is left."""
    if not start or start >= deadline:
        return deadline
    return deadline - (deadline - start) * min(max(share, 0.0), 1.0)


def due_soon_before(deadline: datetime, days: float) -> datetime:
    """The moment a deadline with a fixed notice period becomes 'due soon': ``days`` before it."""
    return deadline - timedelta(days=max(days or 0, 0))


def deadline_state(now: datetime, deadline, done, due_soon) -> str:
    """State of one deadline at ``now``: done, overdue, due soon or on time."""
    if done:
        return DONE
    if not deadline:
        return ON_TIME
    if deadline < now:
        return OVERDUE
    if due_soon and due_soon <= now:
        return DUE_SOON
    return ON_TIME
