"""`firstcontact criteria` and `steps`: what an organisation reads to check the interview."""

import json
import subprocess
import sys

from firstcontact.cli.main import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_criteria_json_lists_every_pc_and_k_with_steps(capsys):
    code, out, _err = run(capsys, "criteria", "--json")
    assert code == 0
    items = json.loads(out)
    ids = [i["id"] for i in items]
    assert ids == [f"PC{i}" for i in range(1, 36)] + [f"K{i}" for i in range(1, 26)]
    pcs = [i for i in items if i["id"].startswith("PC")]
    assert all(set(i) == {"id", "text", "steps", "evidence", "not_applicable"} for i in pcs)
    ks = [i for i in items if i["id"].startswith("K")]
    # each K: the standard's words, and our short practical note under them
    assert all(set(i) == {"id", "text", "steps", "practice"} for i in ks)
    assert all(2 <= i["practice"].count(".") <= 4 for i in ks)
    assert all(i["steps"] and i["evidence"] for i in pcs)
    pc8 = next(i for i in pcs if i["id"] == "PC8")
    assert any("independent" in need["missing"] for need in pc8["evidence"])


def test_criteria_text_is_readable(capsys):
    code, out, _err = run(capsys, "criteria")
    assert code == 0
    assert "PC22" in out and "contaminating evidence" in out


def test_steps_outline_shows_conditions(capsys):
    from firstcontact.checklists import load_checklist

    checklist = load_checklist()
    code, out, _err = run(capsys, "steps")
    assert code == 0
    for stage in checklist.stages:  # every stage and step, in order, conditions shown
        assert f"{stage.title}  [{stage.id}]" in out
    interpreter = next(line for line in out.splitlines() if line.strip().startswith("interpreter:"))
    assert interpreter.endswith("when pv-interpreter-requirements = yes")
    code, out, _err = run(capsys, "steps", "--json")
    outline = json.loads(out)
    assert [s["id"] for s in outline] == [stage.id for stage in checklist.stages]
    step = next(st for s in outline for st in s["steps"] if st["consent"] == "nrm")
    assert step["when"] == {"not": {"derived": "child"}}


def test_version_and_help_everywhere():
    for argv in (["--version"], ["--help"], ["case", "--help"], ["pack", "export", "--help"]):
        r = subprocess.run([sys.executable, "-m", "firstcontact.cli.main", *argv],
                           capture_output=True, text=True, check=False)
        assert r.returncode == 0, (argv, r.stderr)
        assert r.stdout.strip()


def test_usage_error_exits_2(capsys):
    import pytest

    with pytest.raises(SystemExit) as info:
        main(["case", "answer"])
    assert info.value.code == 2


def test_no_display_is_one_clear_line():
    import os

    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    r = subprocess.run([sys.executable, "-m", "firstcontact.cli.main"], capture_output=True,
                       text=True, env=env, check=False, timeout=60)
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "no display" in lines[0] and "xvfb" in lines[0]


def test_steps_json_lets_a_reviewer_read_the_whole_interview(capsys):
    code, out, _err = run(capsys, "steps", "--json")
    assert code == 0
    steps = {st["id"]: st for s in json.loads(out) for st in s["steps"]}
    assert next(iter(steps)) == "immediate-needs"  # immediate needs first
    assert all(st["script"] and st["source"] for st in steps.values())  # each with its source
    urgent = [w for w in steps["immediate-needs"]["warnings"] if w["level"] == "urgent"]
    assert urgent and all(w["record"] == "fc-urgent-action" and w["actions"] for w in urgent)
    child = [v for v in steps["own-words"]["variants"] if v["when"] == {"derived": "child"}]
    assert child and "children's services or the police" in child[0]["script"]
    # what the person hears, kept apart, shown with the step that reads it
    nrm = steps["nrm-consent"]
    parts = [p["id"] for p in nrm["explanation"]["parts"]]
    assert [p["id"] for p in nrm["points"]] == [p for p in parts if p != "if-no"]
    assert "if-no" in parts  # what a "no" still sends, where the worker has the Duty to Notify
    assert steps["legal-representation"]["consent_when"] == {
        "field": "fc-legal-representation", "equals": "wants-one"}
    assert "not by itself give you permission to stay" in " ".join(
        p["text"] for p in nrm["explanation"]["parts"])
    code, out, _err = run(capsys, "steps")
    assert "point not-permission: That it is not by itself permission" in out
