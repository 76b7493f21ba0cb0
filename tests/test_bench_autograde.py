"""The class-scale benchmark keeps each assignment's numbers, so runs of a few assignments add up in the docs."""
from bench.bench_autograde import load_results, save_result, section


def result(sequential: float, parallel: float, no_checker: float, same: bool = True) -> dict:
    return {"students": 200, "jobs": 2, "notebooks": 200, "same_gradebook": same, "failed": 0, "flagged": 16,
            "wall_s": {"sequential": sequential, "parallel": parallel, "no_checker": no_checker},
            "cpu_s": {"sequential": sequential, "parallel": parallel, "no_checker": no_checker},
            "measured": "2026-11-22", "machine": "2 cores (test CPU), Python 3.11"}


def test_a_later_run_adds_to_the_results_instead_of_replacing_them(tmp_path):
    path = tmp_path / "autograde.json"
    save_result(path, "m1_empathy", result(700, 380, 690))
    save_result(path, "m0_orientation", result(300, 170, 299))
    save_result(path, "m1_empathy", result(720, 390, 700))  # measured again: the newer numbers win

    results = load_results(path)
    assert sorted(results) == ["m0_orientation", "m1_empathy"]
    assert results["m1_empathy"]["wall_s"]["sequential"] == 720


def test_the_section_totals_every_measured_assignment_and_names_the_missing_ones(tmp_path):
    path = tmp_path / "autograde.json"
    save_result(path, "m0_orientation", result(300, 150, 300))
    save_result(path, "m1_empathy", result(700, 350, 625))

    text = section(load_results(path), ["m0_orientation", "m1_empathy", "m2_casework"])

    assert "| **all** | 400 | 1000.0 | 500.0 | **×2.00** | 925.0 | **+8.1%** | yes | 0 / 32 |" in text
    assert "| cost per notebook, sequential | 2.50 s |" in text
    assert "Not yet measured: m2_casework" in text


def test_a_gradebook_that_differs_is_shown_not_hidden(tmp_path):
    path = tmp_path / "autograde.json"
    save_result(path, "m1_empathy", result(700, 350, 690, same=False))
    text = section(load_results(path), ["m1_empathy"])
    assert "| parallel gradebook equal to sequential, row for row | NO | yes |" in text
    assert "Not yet measured" not in text
