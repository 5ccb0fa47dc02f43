"""The profile's Retry-After and quarantine fields: validated once, one clear message."""

import argparse

import pytest

from loadgui.commands.run_args import add_run_arguments, profile_from_args
from loadgui.profile import Profile, ProfileError


def with_values(**values) -> Profile:
    p = Profile()
    p.target.base_url, p.target.endpoint = "http://127.0.0.1:9", "/x"
    for name, value in values.items():
        section, field = name.split("__")
        setattr(getattr(p, section), field, value)
    return p


@pytest.mark.parametrize(("name", "value", "message"), [
    ("retry__respect_retry_after", "yes", "respect Retry-After must be true or false"),
    ("keys__quarantine_after", -1, "quarantine after must be a whole number"),
    ("keys__quarantine_after", 2.5, "quarantine after must be a whole number"),
    ("keys__quarantine_after", True, "quarantine after must be a whole number"),
    ("keys__quarantine_rest", 0, "quarantine rest must be a number of seconds above 0"),
    ("keys__quarantine_rest", float("inf"), "quarantine rest must be a number of seconds"),
    ("keys__quarantine_rest", "60", "quarantine rest must be a number of seconds"),
])
def test_a_bad_value_is_one_clear_error(name, value, message):
    with pytest.raises(ProfileError) as caught:
        with_values(**{name: value}).validated()
    assert str(caught.value).startswith(message)
    assert caught.value.field == name.replace("__", ".")


def test_good_values_are_kept_and_normalised():
    p = with_values(keys__quarantine_after=3.0, keys__quarantine_rest=5).validated()
    assert p.keys.quarantine_after == 3 and isinstance(p.keys.quarantine_after, int)
    assert p.keys.quarantine_rest == 5.0 and p.retry.respect_retry_after is True


def test_the_cli_sets_quarantine_and_retry_after():
    parser = argparse.ArgumentParser()
    add_run_arguments(parser)
    p = profile_from_args(parser.parse_args(
        ["-e", "/x", "--quarantine-after", "2", "--quarantine-rest", "7.5",
         "--ignore-retry-after"]))
    assert (p.keys.quarantine_after, p.keys.quarantine_rest) == (2, 7.5)
    assert p.retry.respect_retry_after is False
    p = profile_from_args(parser.parse_args(["-e", "/x"]))
    assert (p.keys.quarantine_after, p.retry.respect_retry_after) == (0, True)
    with pytest.raises(ProfileError, match="quarantine after"):
        profile_from_args(parser.parse_args(["-e", "/x", "--quarantine-after", "-3"]))
