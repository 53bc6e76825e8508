"""Cross-area signals: declared in one module, each documented and listened to."""

from __future__ import annotations

from blinker import NamedSignal

from marketplace import create_app, signals

DECLARED = {name: value for name, value in vars(signals).items() if isinstance(value, NamedSignal)}


def test_every_signal_is_documented_and_has_a_receiver_once_the_app_exists(app):
    assert len(DECLARED) == 11
    for name, signal in DECLARED.items():
        assert f"``{signal.name}``" in signals.__doc__, f"{name} is missing from the table in marketplace/signals.py"
        assert signal.receivers, f"nobody listens to {signal.name}"


def test_a_second_app_does_not_connect_receivers_twice(app, app_config):
    before = {name: len(signal.receivers) for name, signal in DECLARED.items()}
    create_app(app_config)
    assert {name: len(signal.receivers) for name, signal in DECLARED.items()} == before
