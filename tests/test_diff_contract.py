"""The diff JSON contract 2: evidence given once per provision, read back to the same verdicts and
evidence, and at least 40% smaller than contract 1 on the three main pairs of the bundled dossier."""

from __future__ import annotations

import json

import pytest

from negotiation.engine.compare import compare
from negotiation.engine.model import comparison_from_dict
from negotiation.loading import LoadedDossier, load_dossier
from negotiation.render import to_json as json_text
from tests.conftest import ROOT
from tests.engine_fixtures import water

MAIN_PAIRS = (
    ("ru-us-treaty-2021-12-17", "us-response-2022-01-26"),
    ("ru-nato-agreement-2021-12-17", "nato-response-2022-01-26"),
    ("us-response-2022-01-26", "ru-reply-2022-02-17"),
)


@pytest.fixture(scope="module")
def bundled() -> LoadedDossier:
    return load_dossier(ROOT / "positions" / "security-guarantees-2021-2022")


@pytest.mark.parametrize(("left", "right"), MAIN_PAIRS)
def test_contract_2_reads_back_to_the_same_verdicts_and_evidence(bundled: LoadedDossier, left: str, right: str) -> None:
    """Printed and parsed again, the contract gives back the very same comparison, evidence included."""
    result = compare(bundled.position(left), bundled.position(right), bundled)
    again = comparison_from_dict(json.loads(json_text(result.to_dict())))
    assert again == result


def test_each_provision_is_given_once_and_referred_to_by_id(bundled: LoadedDossier) -> None:
    """Items name provisions by id; their words, sources and grades appear once, under evidence."""
    result = compare(bundled.position("ru-us-treaty-2021-12-17"), bundled.position("us-response-2022-01-26"), bundled)
    data = result.to_dict()
    cited = {pid for item in data["items"] for pid in item["right"]}
    assert cited == set(data["evidence"]["right"])
    item = next(i for i in data["items"] if i["issue"] == "nato-enlargement")
    assert all(isinstance(counts_as, str) for counts_as in item["right"].values())
    assert "text" not in json.dumps(item["right"])


def test_contract_1_is_still_read(bundled: LoadedDossier) -> None:
    """A contract 1 document reads back to the same verdicts and evidence (without the later fields)."""
    result = compare(water().position("north-proposal"), water().position("south-response"), water())
    old = comparison_from_dict(json.loads(json_text(result.to_contract_1())))
    assert [(i.issue, i.category, i.status, i.rationale) for i in old.items] == [
        (i.issue, i.category, i.status, i.rationale) for i in result.items
    ]
    assert [(i.left, i.right) for i in old.items] == [(i.left, i.right) for i in result.items]


def test_contract_1_of_the_bundled_pairs_reads_back_to_the_same_evidence(bundled: LoadedDossier) -> None:
    """Grades, absent from contract 1, follow from the text status and source tags it does carry."""
    for left, right in MAIN_PAIRS:
        result = compare(bundled.position(left), bundled.position(right), bundled)
        old = comparison_from_dict(json.loads(json_text(result.to_contract_1())))
        assert [(i.issue, i.left, i.right) for i in old.items] == [(i.issue, i.left, i.right) for i in result.items]


def test_contract_2_is_at_least_40_percent_smaller_on_the_main_pairs(bundled: LoadedDossier) -> None:
    """Measured on the three main pairs, as the CLI prints them: contract 2 is at most 60% of contract 1."""
    before = after = 0
    for left, right in MAIN_PAIRS:
        result = compare(bundled.position(left), bundled.position(right), bundled)
        before += len(json_text(result.to_contract_1()).encode())
        after += len(json_text(result.to_dict()).encode())
    assert after <= 0.6 * before, f"{after} bytes against {before}: {1 - after / before:.0%} smaller"


def test_an_unknown_contract_is_refused() -> None:
    """A document of another contract version is a ValueError naming what this version reads."""
    with pytest.raises(ValueError, match=r"^unknown diff contract 'negotiation.diff/3'"):
        comparison_from_dict({"contract": "negotiation.diff/3"})
