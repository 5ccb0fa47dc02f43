"""Retry-After values: seconds or an HTTP date, capped, and what is not usable."""

import email.utils

import pytest

from loadgui.engine.load.retry_after import retry_after_delay

NOW = 1_780_000_000.0  # seconds since the epoch, a whole second


@pytest.mark.parametrize(("value", "expected"), [
    ("1", 1.0), (" 7 ", 7.0), ("0", 0.0), ("1.5", 1.5), ("120", 30.0)])
def test_seconds_are_taken_as_given_up_to_the_cap(value, expected):
    assert retry_after_delay(value, 30.0, NOW) == expected


def test_an_http_date_is_counted_from_the_wall_clock():
    date = email.utils.formatdate(NOW + 4, usegmt=True)
    assert retry_after_delay(date, 30.0, NOW) == 4.0
    assert retry_after_delay(date, 2.5, NOW) == 2.5  # capped


def test_a_date_in_the_past_means_now():
    assert retry_after_delay(email.utils.formatdate(NOW - 60, usegmt=True), 30.0, NOW) == 0.0


def test_the_obsolete_date_forms_are_read_too():
    assert retry_after_delay("Sun, 06 Nov 1994 08:49:37 GMT", 30.0, 784111777.0 - 3) == 3.0
    assert retry_after_delay("Sunday, 06-Nov-94 08:49:37 GMT", 30.0, 784111777.0 - 3) == 3.0


@pytest.mark.parametrize("value", [None, "", "   ", "soon", "-5", "inf", "nan", "1e999x",
                                   "Mon, 99 Foo 2026 99:99:99 GMT"])
def test_an_unusable_value_leaves_the_wait_to_the_backoff(value):
    assert retry_after_delay(value, 30.0, NOW) is None
