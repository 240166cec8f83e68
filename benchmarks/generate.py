"""Deterministic synthetic dossiers for benchmarks and scale tests.

``python -m benchmarks.generate OUT --positions 200 --provisions 1000 --issues 60 --links 0.3 --seed 1``
writes a dossier folder (``dossier.yaml`` plus one position file each) that ``negotiation validate``
accepts. The same arguments always give the same bytes.

>>> import tempfile
>>> folder = generate(tempfile.mkdtemp(), positions=3, provisions=5, issues=8, seed=7)
>>> sorted(p.name for p in folder.iterdir())[:2]
['dossier.yaml', 'pos-0000.json']
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

STANCES = ("propose", "accept", "accept-conditional", "discuss", "counter", "reject", "reaffirm", "note")
RELATIONS = ("accepts", "accepts-conditionally", "discusses", "counters", "rejects", "contests", "notes")
WORDS = (
    "parties",
    "shall",
    "refrain",
    "from",
    "deploying",
    "forces",
    "armaments",
    "missiles",
    "territory",
    "security",
    "consultations",
    "transparency",
    "exercises",
    "notification",
    "hotline",
    "reciprocal",
    "measures",
    "verification",
    "agreement",
    "treaty",
    "principles",
    "cooperation",
    "dialogue",
    "incidents",
    "airspace",
    "waters",
    "navigation",
    "limits",
    "zone",
    "brigade",
    "level",
)


def taxonomy(issues: int) -> list[dict[str, str]]:
    """A two-level taxonomy of about ``issues`` codes: tops with four children each."""
    tops = max(1, issues // 5)
    out = []
    for t in range(tops):
        out.append({"code": f"topic-{t:02d}", "title": f"Topic {t}"})
        for c in range(4):
            out.append({"code": f"topic-{t:02d}.item-{c}", "title": f"Topic {t}, item {c}"})
    return out


def provision(rng: random.Random, index: int, codes: list[str], party: str, others: list[str]) -> dict[str, Any]:
    """One synthetic provision with text, issues, stance, obligations and a source."""
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 40))).capitalize() + "."
    stance = rng.choice(STANCES)
    item: dict[str, Any] = {
        "id": f"p{index:05d}",
        "ref": f"Art. {index + 1}",
        "issues": sorted(set(rng.sample(codes, rng.randint(1, 2)))),
        "stance": stance,
        "text": text,
        "text_status": "verbatim",
        "sources": [{"file": "sources/text.md", "locator": f"Article {index + 1}"}],
        "summary": f"Synthetic provision {index}.",
    }
    if rng.random() < 0.5:
        item["obligations"] = [
            {"obligors": [party, rng.choice(others)], "reciprocal": True}
            if rng.random() < 0.5
            else {"obligors": [rng.choice(others)], "beneficiaries": [party]}
        ]
    return item


def generate(
    out: str | Path,
    *,
    positions: int = 10,
    provisions: int = 100,
    issues: int = 30,
    links: float = 0.3,
    parties: int = 4,
    seed: int = 1,
    fmt: str = "json",
) -> Path:
    """Write a synthetic dossier into ``out`` and return the folder."""
    rng = random.Random(seed)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    tax = taxonomy(issues)
    leaf_codes = [i["code"] for i in tax if "." in i["code"]]
    party_ids = [f"party-{i}" for i in range(parties)]
    position_ids = [f"pos-{i:04d}" for i in range(positions)]
    dossier = {
        "schema_version": 1,
        "id": "synthetic",
        "title": f"Synthetic dossier ({positions} positions x {provisions} provisions, seed {seed})",
        "parties": [{"id": p, "name": p.title(), "kind": "state"} for p in party_ids],
        "issues": tax,
        "positions": position_ids,
    }
    _write(folder / "dossier.yaml", dossier, "yaml")
    for n, pid in enumerate(position_ids):
        party = party_ids[n % parties]
        others = [p for p in party_ids if p != party]
        items = [provision(rng, i, leaf_codes, party, others) for i in range(provisions)]
        doc: dict[str, Any] = {
            "schema_version": 1,
            "id": pid,
            "party": party,
            "addressees": [party_ids[(n + 1) % parties]],
            "kind": "draft-treaty" if n == 0 else "written-response",
            "title": f"Synthetic position {n}",
            "delivered": f"2020-{1 + (n // 28) % 12:02d}-{1 + n % 28:02d}" if n < 28 * 12 else "2021-01-01",
            "provenance": {"authenticity": "fictional"},
        }
        if n > 0:
            answered = position_ids[n - 1]
            doc["responds_to"] = [answered]
            for item in items:
                if rng.random() < links:
                    item["responds_to"] = [
                        {"to": f"{answered}#p{rng.randrange(provisions):05d}", "relation": rng.choice(RELATIONS)}
                    ]
        doc["provisions"] = items
        _write(folder / f"{pid}.{fmt}", doc, fmt)
    return folder


def _write(path: Path, data: dict[str, Any], fmt: str) -> None:
    if fmt == "json" or path.suffix == ".json":
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    else:
        import yaml

        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Command-line entry: write a synthetic dossier."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--positions", type=int, default=10)
    parser.add_argument("--provisions", type=int, default=100)
    parser.add_argument("--issues", type=int, default=30)
    parser.add_argument("--links", type=float, default=0.3)
    parser.add_argument("--parties", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=("json", "yaml"), default="json")
    args = parser.parse_args(argv)
    generate(
        args.out,
        positions=args.positions,
        provisions=args.provisions,
        issues=args.issues,
        links=args.links,
        parties=args.parties,
        seed=args.seed,
        fmt=args.format,
    )


if __name__ == "__main__":
    main()
