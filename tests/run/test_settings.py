"""A run's options: resolved once at the edge, the only place the environment is read (issue 33)."""

from __future__ import annotations

import json
import re

import pytest

from presslens.roster import Roster
from presslens.settings import RunOptions, RunSettings, resolve_settings
from tests.conftest import REPO

ENVIRONMENT_READ = re.compile(r"os\.environ\.get|os\.getenv|environ\[|environ\.copy")


def test_only_settings_reads_the_environment():
    """The bug: timing.py read PRESSLENS_TIMINGS on every timed() call, collect.py read
    PRESSLENS_ALLOW_PRIVATE_URLS deep in fetch(), and the flow module read PRESSLENS_DASK_ADDRESS at
    import: settings could differ from what the edge resolved, and a step's behaviour depended on
    the process it ran in. Now settings.py reads the environment and the rest is handed settings."""
    readers = sorted(
        str(path.relative_to(REPO))
        for folder in ("presslens", "flows")
        for path in (REPO / folder).rglob("*.py")
        if ENVIRONMENT_READ.search(path.read_text(encoding="utf-8"))
    )
    assert readers == ["presslens/settings.py"]


def test_options_resolve_from_the_environment_once(monkeypatch, tmp_path):
    monkeypatch.setenv("PRESSLENS_WORKERS", "3")
    monkeypatch.setenv("PRESSLENS_DASK_ADDRESS", "tcp://scheduler.example:8786")
    monkeypatch.setenv("PRESSLENS_TIMINGS", str(tmp_path / "timings.jsonl"))
    outlets = tmp_path / "outlets.yaml"
    outlets.write_text("outlets:\n  - name: The Calder Courier\n    lean: centre\n", encoding="utf-8")
    options = RunOptions(entities="rules", stories_file=None, outlets_file=str(outlets))
    settings = resolve_settings(options)
    assert (settings.workers, settings.entities, settings.similarity) == (3, "rules", "lexical")
    assert settings.dask_address == "tcp://scheduler.example:8786"
    assert settings.timings_file == str(tmp_path / "timings.jsonl")
    assert [o.lean for o in settings.roster.outlets] == ["centre"]
    monkeypatch.setenv("PRESSLENS_WORKERS", "5")  # read once: the settings already made do not change
    outlets.unlink()
    assert settings.workers == 3 and settings.roster.outlets[0].name == "The Calder Courier"
    given = resolve_settings(RunOptions(workers=2, entities="rules", outlets_file=None, stories_file=None))
    assert given.workers == 2 and given.roster == Roster()  # the user's choice wins over the environment


def test_the_flow_takes_resolved_settings_or_plain_options():
    """A deployment's parameters are JSON: ``settings`` as a mapping of options, resolved in the flow;
    ``presslens run`` hands it the object it resolved, kept as it is. Both forms serialise for the API,
    the parameter schema builds (``prefect deploy`` needs it), and a misspelt option is refused."""
    from prefect.exceptions import ParameterTypeError
    from prefect.utilities.callables import parameter_schema

    from flows.compare_coverage import compare_coverage

    resolved = RunSettings(workers=2, entities="rules")
    assert compare_coverage.validate_parameters({"settings": resolved})["settings"] is resolved
    plain = compare_coverage.validate_parameters({"settings": {"workers": 2, "entities": "rules"}})["settings"]
    assert plain == RunOptions(workers=2, entities="rules")
    for value in (resolved, plain):
        json.dumps(compare_coverage.serialize_parameters({"settings": value}))
    schema = parameter_schema(compare_coverage.fn).model_dump()
    assert "RunOptions" in json.dumps(schema)
    with pytest.raises(ParameterTypeError, match="wrokers"):
        compare_coverage.validate_parameters({"settings": {"wrokers": 2}})
