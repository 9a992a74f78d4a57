"""Argument checks shared by the factories: fail at construction, name the argument."""

from __future__ import annotations

import math
from collections.abc import Iterable
from numbers import Integral, Real
from typing import Any

import numpy as np


def _describe(name: str, value: Any) -> str:
    return f"got {name}={value!r}"


def check_real(name: str, value: Any) -> float:
    """Return ``value`` as a float, or raise if it is not a finite real number."""
    if isinstance(value, bool) or not isinstance(value, Real | np.floating | np.integer):
        raise TypeError(f"{name} must be a real number, {_describe(name, value)}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, {_describe(name, value)}")
    return value


def check_positive(name: str, value: Any) -> float:
    """A finite real number > 0."""
    value = check_real(name, value)
    if value <= 0:
        raise ValueError(f"{name} must be positive, {_describe(name, value)}")
    return value


def check_nonnegative(name: str, value: Any) -> float:
    """A finite real number >= 0."""
    value = check_real(name, value)
    if value < 0:
        raise ValueError(f"{name} must be non-negative, {_describe(name, value)}")
    return value


def check_interval(
    name: str, value: Any, low: float, high: float, *, closed: str = "both"
) -> float:
    """A finite real number in an interval; ``closed`` is "both", "left", "right" or "neither"."""
    value = check_real(name, value)
    left_ok = value >= low if closed in ("both", "left") else value > low
    right_ok = value <= high if closed in ("both", "right") else value < high
    if not (left_ok and right_ok):
        lb = "[" if closed in ("both", "left") else "("
        rb = "]" if closed in ("both", "right") else ")"
        raise ValueError(f"{name} must lie in {lb}{low}, {high}{rb}, {_describe(name, value)}")
    return value


def check_int(name: str, value: Any, *, minimum: int | None = None) -> int:
    """An integer (not a bool), optionally at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be an integer, {_describe(name, value)}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, {_describe(name, value)}")
    return value


def check_choice(name: str, value: Any, choices: Iterable[str]) -> str:
    """One of a fixed set of strings."""
    choices = tuple(choices)
    if value not in choices:
        raise ValueError(f"{name} must be one of {choices}, {_describe(name, value)}")
    return value
