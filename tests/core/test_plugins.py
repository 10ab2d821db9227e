"""Apps plug in: what an app declares in its plugin module reaches the platform, and an app added
only through INSTALLED_APPS brings all of it without an edit to core, urls.py or api.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from jingban.core import plugins

ROOT = Path(__file__).resolve().parents[2]


def test_the_test_app_is_not_installed_by_default() -> None:
    with pytest.raises(NoReverseMatch):
        reverse("plugin_app:greetings")
    assert "plugin_app.greeting.send" not in plugins.capabilities()
    assert all(p.app != "plugin_app" for p in plugins.plugins())


def test_an_app_added_through_installed_apps_brings_everything_it_declares() -> None:
    """A pytest of its own, with JINGBAN_EXTRA_APPS naming the test app and a database of its
    own; ``tests/plugin_app/check_installed.py`` checks each declared piece."""
    env = {
        **os.environ,
        "JINGBAN_EXTRA_APPS": "tests.plugin_app",
        "JINGBAN_TEST_DB_SUFFIX": "plugin_app",
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:randomly",
            "tests/plugin_app/check_installed.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "8 passed" in done.stdout, done.stdout[-2000:]


def test_every_installed_app_with_a_plugin_is_collected() -> None:
    apps = [p.app for p in plugins.plugins()]
    assert apps[:4] == ["core", "registry", "jobs", "packs"]


def test_capabilities_are_granted_by_the_apps_that_declare_them() -> None:
    grants = plugins.role_capabilities()
    assert "registry.person.reveal" in grants["operator"]
    assert "registry.person.reveal" not in grants["assessor"]
    # A caregiver sees their own institution and their own record, never persons.
    assert "core.organisation.view" in grants["caregiver"]
    assert "registry.person.view" not in grants["caregiver"]
    assert "core.synth.run" in grants["admin"] and "core.synth.run" not in grants["operator"]


def test_navigation_follows_the_declared_order() -> None:
    names = [entry.url_name for entry in plugins.navigation()]
    assert names[0] == "core:home" and names[-1] == "core:preferences"
    assert names.index("registry:person_list") < names.index("packs:version_list")


def test_action_labels_in_both_languages() -> None:
    with translation.override("en"):
        assert plugins.action_label("registry.person.registered") == "registered an insured person"
    with translation.override("zh-hans"):
        label = plugins.action_label("registry.person.registered")
    assert label != "registered an insured person" and any("\u4e00" <= c <= "\u9fff" for c in label)
    assert plugins.action_label("no.such.code") == "no.such.code"


def test_a_code_declared_by_two_apps_is_refused() -> None:
    from django.core.exceptions import ImproperlyConfigured

    one = plugins.AppPlugin(app="a", actions=(plugins.ActionCode("x.y.z", "x"),))
    two = plugins.AppPlugin(app="b", actions=(plugins.ActionCode("x.y.z", "x"),))
    with pytest.raises(ImproperlyConfigured, match=r"x\.y\.z"):
        plugins._check_unique([one, two])


def test_synthetic_generators_run_after_those_they_need(monkeypatch) -> None:
    from django.core.exceptions import ImproperlyConfigured

    first = plugins.AppPlugin(app="a", synth=plugins.SynthGenerator("a", "m:f", after=("b",)))
    second = plugins.AppPlugin(app="b", synth=plugins.SynthGenerator("b", "m:g"))
    monkeypatch.setattr(plugins, "plugins", lambda: (first, second))
    assert [g.name for g in plugins.synth_generators()] == ["b", "a"]
    looped = plugins.AppPlugin(app="b", synth=plugins.SynthGenerator("b", "m:g", after=("a",)))
    monkeypatch.setattr(plugins, "plugins", lambda: (first, looped))
    with pytest.raises(ImproperlyConfigured):
        plugins.synth_generators()
