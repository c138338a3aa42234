"""The soak (`make soak`) at a small size, so that the full run never rots between uses: the
same three parts, each of which must find nothing lost."""

import pytest

from tests.soak.__main__ import main


@pytest.mark.slow
def test_the_soak_at_a_small_size_finds_nothing_lost(capsys):
    assert main(["--autosaves", "60", "--round-trips", "30", "--sync-rounds", "3",
                 "--per-round", "8", "--seed", "20261127"]) == 0
    out = capsys.readouterr().out
    assert "60 acknowledged in" in out
    assert "acknowledged envelopes sent again: 0 — OK" in out
    assert out.rstrip().endswith("soak: nothing acknowledged was lost")
