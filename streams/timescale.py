"""Compressed time for a soak: every duration the worker keeps state for, scaled by one factor.

A soak shows memory flat only once every table has reached the size its retention bounds it
to; at the shipped retentions (7 days for duplicates, stories and alerts, 30 days for first
seen dyads) that takes days. Scaling all of them — the settings' retentions and the alert
rules' cooldowns, windows and retentions — by the same factor keeps their ratios (an alert's
retention still exceeds its rule's cooldown, a surge window still spans its steps) and brings
the steady state within the run. ``wirewatch bench pipeline --time-scale F``.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from streams.alerting.rules import RuleSet, load_rules
from streams.settings import Settings

#: Retentions in the settings, scaled as they are.
SCALED_RETENTIONS = ("duplicate_window_days", "story_retention_days", "alert_retention_days")
#: The clean-up that drops expired table entries runs at least this often (s) when scaled.
MIN_CLEANUP_INTERVAL_S = 10.0


def _scaled(value: Any, factor: float) -> Any:
    """A rules mapping (``RuleSet.model_dump()``) with every duration × ``factor``, in seconds (≥ 1)."""
    if isinstance(value, timedelta):
        return max(1.0, value.total_seconds() * factor)
    if isinstance(value, dict):
        return {key: _scaled(item, factor) for key, item in value.items()}
    if isinstance(value, list):
        return [_scaled(item, factor) for item in value]
    return value


def scaled_rules(rules: RuleSet, factor: float) -> dict[str, Any]:
    """``rules`` as a rules-file mapping with every duration × ``factor``.

    The surge window stays a whole number of whole-second steps (the rules require it)."""
    data: dict[str, Any] = _scaled(rules.model_dump(), factor)
    data["include_defaults"] = False  # the dump already holds the defaults it extended
    escalation = rules.escalation
    if escalation is not None:
        step = max(1, round(escalation.step.total_seconds() * factor))
        data["escalation"]["step"] = step
        data["escalation"]["window"] = step * round(escalation.window / escalation.step)
    return data


def compressed_time_env(settings: Settings, factor: float, directory: Path) -> dict[str, str]:
    """The worker environment of ``settings`` with every retention, window and cooldown × ``factor``.

    Writes the scaled alert rules (the caller's ``WIREWATCH_RULES_FILE``, else the shipped set)
    to ``directory/rules-scaled.json`` and points ``WIREWATCH_RULES_FILE`` at it."""
    if not 0 < factor <= 1:
        raise ValueError(f"the time scale must be in (0, 1], not {factor}")
    env = {f"WIREWATCH_{name.upper()}": repr(getattr(settings, name) * factor) for name in SCALED_RETENTIONS}
    cleanup = max(MIN_CLEANUP_INTERVAL_S, settings.duplicate_cleanup_interval_s * factor)
    env["WIREWATCH_DUPLICATE_CLEANUP_INTERVAL_S"] = repr(min(cleanup, settings.duplicate_cleanup_interval_s))
    path = directory / "rules-scaled.json"
    path.write_text(json.dumps(scaled_rules(load_rules(settings.rules_file), factor), indent=1))
    env["WIREWATCH_RULES_FILE"] = str(path)
    return env
