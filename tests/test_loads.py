import pytest

from legback_solver.loads import epley_1rm, load_for


def test_epley_against_hand_computed_values():
    # 100 kg x 10 reps: 100 * (1 + 10/30) = 133.33 kg
    assert epley_1rm(100, 10) == pytest.approx(133.333, abs=1e-3)
    assert epley_1rm(150, 1) == 150


def test_load_for_known_1rm_reps_and_rir():
    # 1RM 140 kg, 8 reps at RIR 2: 140 / (1 + 10/30) = 105.0 kg exactly
    assert load_for(140, 8, 2) == 105.0
    # 1RM 180 kg, 5 reps at RIR 3: 180 / (1 + 8/30) = 142.1 -> 140.0 on a 2.5 kg step
    assert load_for(180, 5, 3) == 140.0
    # 1RM 100 kg, 12 reps at RIR 1: 100 / (1 + 13/30) = 69.77 -> 67.5
    assert load_for(100, 12, 1) == 67.5
    # a 1 kg step rounds down to whole kilograms
    assert load_for(100, 12, 1, step=1.0) == 69.0


def test_load_never_exceeds_what_the_rir_allows():
    for one_rm in (60, 97.5, 143, 221):
        for reps in range(1, 16):
            for rir in range(0, 5):
                load = load_for(one_rm, reps, rir)
                # the reps the lifter could do with that load never fall short of reps + rir
                assert one_rm / load >= 1 + (reps + rir) / 30 - 1e-9


def test_bad_recent_set():
    with pytest.raises(ValueError):
        epley_1rm(100, 0)
