"""scripts/mutation_sample.py: the sample `make mutate SAMPLE=` runs is reproducible and local."""

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from mutation_sample import sample


def _modules(n_a: int, n_b: int) -> dict[str, list[str]]:
    return {
        "antq.reading.a": [f"a_{i}" for i in range(n_a)],
        "antq.reading.b": [f"b_{i}" for i in range(n_b)],
    }


def test_a_share_of_each_module_rounded_up_and_at_least_one():
    got = sample(_modules(100, 3), 0.04, 1)
    assert len([n for n in got if n.startswith("a_")]) == 4
    assert len([n for n in got if n.startswith("b_")]) == 1
    assert got == sorted(got)


def test_the_same_seed_draws_the_same_names_and_another_seed_others():
    assert sample(_modules(100, 50), 0.1, 1) == sample(_modules(100, 50), 0.1, 1)
    assert sample(_modules(100, 50), 0.1, 1) != sample(_modules(100, 50), 0.1, 2)


def test_a_change_to_one_module_leaves_the_other_modules_sample_alone():
    before = sample(_modules(100, 50), 0.1, 1)
    after = sample(_modules(120, 50), 0.1, 1)  # module a grew (a function added)
    assert [n for n in after if n.startswith("b_")] == [n for n in before if n.startswith("b_")]
    assert [n for n in after if n.startswith("a_")] != [n for n in before if n.startswith("a_")]
