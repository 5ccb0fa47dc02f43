from typing import Any

import pytest

from mock_server.settings import MockSettings


def test_defaults_are_valid() -> None:
    settings = MockSettings()
    assert (settings.min_latency, settings.max_latency, settings.error_rate) == (0.01, 0.5, 0.1)
    assert settings.max_body_bytes == 25 * 1024 * 1024
    assert settings.instance_id == "0"


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"min_latency": -0.1}, "min_latency"),
        ({"min_latency": 0.6, "max_latency": 0.5}, "max_latency"),
        ({"error_rate": 1.5}, "error_rate"),
        ({"error_rate": -0.01}, "error_rate"),
        ({"max_latency": float("nan")}, "max_latency"),
        ({"max_body_bytes": -1}, "max_body_bytes"),
    ],
)
def test_invalid_values_raise_one_line_naming_the_field(fields: dict[str, Any], named: str) -> None:
    with pytest.raises(ValueError, match=named) as caught:
        MockSettings(**fields)
    assert "\n" not in str(caught.value)


def test_from_env_reads_the_variables() -> None:
    settings = MockSettings.from_env(
        {"MIN_LATENCY": "0", "MAX_LATENCY": "0.2", "ERROR_RATE": "1", "INSTANCE_ID": "b"}
    )
    assert (settings.min_latency, settings.max_latency, settings.error_rate) == (0.0, 0.2, 1.0)
    assert settings.instance_id == "b"


def test_from_env_keeps_defaults_for_unset_variables() -> None:
    assert MockSettings.from_env({}) == MockSettings()


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"MIN_LATENCY": "fast"}, "MIN_LATENCY"),
        ({"ERROR_RATE": "2"}, "error_rate"),
        ({"MIN_LATENCY": "1", "MAX_LATENCY": "0.5"}, "max_latency"),
    ],
)
def test_from_env_rejects_bad_values(env: dict[str, str], named: str) -> None:
    with pytest.raises(ValueError, match=named):
        MockSettings.from_env(env)
