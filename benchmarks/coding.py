"""Benchmarks of the import and coding aids, each beside a named baseline, and the suggester's
leave-one-position-out accuracy on the bundled dossier.

``python -m benchmarks.coding`` prints a Markdown table (``--quick``: small sizes). Timings are
medians of repeated runs measured in the same process, side by side with their baselines.
"""

from __future__ import annotations

import argparse
import io
import random
import re
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks.generate import STANCES, WORDS

PAGE_LINES = 40
SOURCES = Path(__file__).resolve().parent.parent / "positions" / "security-guarantees-2021-2022" / "sources"


def synthetic_pdf(pages: int, seed: int = 1) -> bytes:
    """A PDF of ``pages`` pages of ordinary treaty-like text (an article heading and paragraphs per page)."""
    from tests.import_fixtures import pdf_bytes_pages

    rng = random.Random(seed)
    texts = []
    for n in range(1, pages + 1):
        lines = [f"Article {n}", ""]
        for _ in range(PAGE_LINES // 4):
            lines += [" ".join(rng.choice(WORDS) for _ in range(12)) for _ in range(3)] + [""]
        texts.append("\n".join(lines))
    return pdf_bytes_pages(texts)


def _median(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def import_speed(pages: int, repeats: int) -> tuple[str, str, str, str, str]:
    """negotiation's import of a synthetic PDF against pypdf's text extraction of the same file."""
    import pypdf

    from negotiation.importing.position import import_documents

    folder = Path(tempfile.mkdtemp())
    pdf = folder / "draft.pdf"
    pdf.write_bytes(synthetic_pdf(pages))

    def baseline() -> None:
        for page in pypdf.PdfReader(io.BytesIO(pdf.read_bytes())).pages:
            page.extract_text()

    def ours() -> None:
        import_documents([str(pdf)], party="a", date="2031-01-01", output=str(folder / "out.yaml"))

    base, mine = _median(baseline, repeats), _median(ours, repeats)
    rate = pages / mine
    return (
        f"import ({pages} PDF pages)",
        f"{rate:,.0f} pages/s",
        ">= 200 pages/s",
        "met" if rate >= 200 else "not met",
        f"import {mine * 1000:.0f} ms; baseline pypdf extract_text alone {base * 1000:.0f} ms ({mine / base:.2f}x)",
    )


def suggest_speed(uncoded: int, coded: int, repeats: int) -> tuple[str, str, str, str, str]:
    """suggest (character n-gram TF-IDF) against word TF-IDF, the same index and vote."""
    from negotiation.coding import suggest as module
    from negotiation.schema import Provision

    # Texts drawn word by word from the bundled source texts: ordinary treaty English, whose
    # vocabulary (about 2,500 words) keeps the n-gram vectors as sparse as real provisions'.
    rng = random.Random(2)
    tokens = [w for f in sorted(SOURCES.glob("*.md")) for w in re.findall(r"[A-Za-z]+", f.read_text(encoding="utf-8"))]

    def synthetic(i: int, coded: bool) -> Provision:
        words = " ".join(rng.choice(tokens) for _ in range(rng.randint(12, 40)))
        data = {
            "id": f"p{i}",
            "ref": f"Art. {i}",
            "text": words,
            "text_status": "verbatim",
            "sources": [{"file": "s.md"}],
        }
        coding = {"issues": [f"issue-{rng.randrange(60)}"], "stance": rng.choice(STANCES)} if coded else {}
        return Provision.model_validate(data | coding)

    known = [("p", synthetic(i, True)) for i in range(coded)]
    queries = [synthetic(i, False) for i in range(uncoded)]

    def ours() -> None:
        module.Suggester(known).rank(queries)

    def baseline() -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        original = module._vectoriser
        module._vectoriser = lambda: TfidfVectorizer(analyzer="word", sublinear_tf=True)  # type: ignore[assignment]
        try:
            module.Suggester(known).rank(queries)
        finally:
            module._vectoriser = original

    base, mine = _median(baseline, repeats), _median(ours, repeats)
    return (
        f"suggest ({uncoded} uncoded vs {coded} coded)",
        f"{mine:.2f} s",
        "<= 2 s",
        "met" if mine <= 2 else "not met",
        f"baseline word TF-IDF {base:.2f} s ({mine / base:.2f}x)",
    )


def accuracy() -> list[tuple[str, str, str, str, str]]:
    """Leave-one-position-out accuracy of suggest on the bundled dossier (deterministic)."""
    from negotiation.coding.suggest import leave_one_position_out
    from negotiation.loading import load_dossier

    result = leave_one_position_out(list(load_dossier(None).positions.values()))
    detail = f"{result.provisions} coded provisions of the bundled dossier, each position held out in turn"
    return [
        ("suggest: top-1 issue accuracy", f"{result.top1:.1%}", "measured", "-", detail),
        ("suggest: top-3 issue accuracy", f"{result.top3:.1%}", "measured", "-", detail),
        ("suggest: stance accuracy", f"{result.stance:.1%}", "measured", "-", detail),
    ]


def table(rows: Sequence[tuple[str, str, str, str, str]]) -> str:
    """The rows as the Markdown table of docs/performance.md."""
    lines = ["| target | measured | goal | status | detail |", "|---|---|---|---|---|"]
    return "\n".join([*lines, *(f"| {' | '.join(row)} |" for row in rows)]) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Run every measurement and print the table; exit 1 when a speed goal is not met."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes")
    args = parser.parse_args(argv)
    if args.quick:
        rows = [import_speed(20, 1), suggest_speed(50, 500, 1), *accuracy()]
    else:
        rows = [import_speed(500, 3), suggest_speed(1000, 10000, 3), *accuracy()]
    print(table(rows), end="")
    return 1 if any(row[3] == "not met" for row in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
