"""Brief §5: kill -9 during autosaves loses no acknowledged save; a full disk fails loudly
with earlier data intact; hostile text round-trips or is refused."""

import json
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from firstcontact.store.errors import InvalidValue
from firstcontact.store.facade import Store
from firstcontact.store.records import SummaryUpdate
from tests.conftest import PASSPHRASE

WORKER = Path(__file__).with_name("autosave_worker.py")
SUMMARY = SummaryUpdate(stage_reached=None)


def start_worker(data_dir, count, *extra):
    return subprocess.Popen([sys.executable, str(WORKER), str(data_dir), PASSPHRASE, str(count),
                             *map(str, extra)], stdout=subprocess.PIPE, text=True)


def make_store(data_dir):
    s = Store.create(data_dir, PASSPHRASE)
    s.create_case()
    s.close()


@pytest.mark.slow
def test_kill_9_at_random_points_loses_no_acknowledged_save(data_dir):
    make_store(data_dir)
    rng = random.Random(20261122)
    expected: dict[str, str] = {}
    for _round in range(4):
        stop_after = rng.randint(1, 1000)
        proc = start_worker(data_dir, 1000)
        assert proc.stdout is not None
        case_id = proc.stdout.readline().split()[1]
        acked = 0
        for line in proc.stdout:
            _ack, n, field = line.split()
            expected[f"fc-field-{field}"] = f"answer {n} " + "x" * (int(n) % 50)
            acked = int(n)
            if acked >= stop_after:
                proc.send_signal(signal.SIGKILL)
                break
        proc.wait()
        proc.stdout.close()
        assert acked >= min(stop_after, 1000)
        store = Store.unlock(data_dir, PASSPHRASE)
        answers = store.load_case(case_id).answers
        for field, value in expected.items():
            got = json.loads(answers[field].value_json)
            # the kill may land after a save beyond the last ACK: never older than acknowledged
            n_got = int(got.split()[1])
            n_acked = int(value.split()[1])
            assert n_got >= n_acked, field
        assert store.integrity_check() == ("ok", "ok")
        store.close()
        expected = {}


def test_disk_full_fails_loudly_and_keeps_earlier_data(data_dir):
    make_store(data_dir)
    store = Store.unlock(data_dir, PASSPHRASE)
    case_id = store.list_summaries()[0].case_id
    store.save_answer(case_id, "fc-before", json.dumps("kept"), SUMMARY)
    store.close()
    size = sum(p.stat().st_size for p in data_dir.iterdir())
    proc = start_worker(data_dir, 10_000, size + 64 * 1024)
    out, _ = proc.communicate(timeout=120)
    lines = out.splitlines()
    assert lines[-1] == "FAILED WriteFailed", lines[-3:]
    acked = [line for line in lines if line.startswith("ACK")]
    store = Store.unlock(data_dir, PASSPHRASE)
    answers = store.load_case(case_id).answers
    assert json.loads(answers["fc-before"].value_json) == "kept"
    if acked:
        _ack, n, field = acked[-1].split()
        assert json.loads(answers[f"fc-field-{field}"].value_json).startswith(f"answer {n} ")
    assert store.integrity_check() == ("ok", "ok")
    store.close()


HOSTILE = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300) | \
    st.sampled_from(["\u202eevil\u202c", "Robert'); DROP TABLE cases;--", "\x00\x01\x1b[31m",
                     "👩🏽‍⚕️🇪🇷", "ሰላም", "مرحبا", "x" * 100_000, "\r\n\t", "%s%n{0}"])


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("hyp") / "data"
    s = Store.create(path, PASSPHRASE)
    yield s
    s.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=HOSTILE)
def test_hostile_text_round_trips_unchanged(shared_store, text):
    case = shared_store.create_case()
    shared_store.save_answer(case.id, "fc-text", json.dumps(text, ensure_ascii=False), SUMMARY)
    note_id = shared_store.add_note(case.id, "note", text, None, SUMMARY)
    data = shared_store.load_case(case.id)
    assert json.loads(data.answers["fc-text"].value_json) == text
    assert [n.text for n in data.notes if n.id == note_id] == [text]


@settings(max_examples=25, deadline=None)
@given(prefix=st.text(max_size=20), surrogate=st.characters(min_codepoint=0xD800,
                                                             max_codepoint=0xDFFF))
def test_lone_surrogates_are_refused_and_nothing_is_stored(shared_store, prefix, surrogate):
    case = shared_store.create_case()
    with pytest.raises(InvalidValue):
        shared_store.add_note(case.id, "note", prefix + surrogate, None, SUMMARY)
    with pytest.raises(InvalidValue):
        shared_store.save_answer(case.id, "fc-text", '"' + prefix + surrogate + '"', SUMMARY)
    data = shared_store.load_case(case.id)
    assert data.notes == () and "fc-text" not in data.answers
