"""Lint an exercise: structure, dates, feasibility, option matching, and leaks of private data.

``lint`` reports every problem at once, located like validation errors. On top of the structural
rules of :mod:`negotiation.exercises.check` (references resolve; every schedule covers every issue
and option) it checks that

- dates are consistent: no document after the cut-off, rounds in order and not before the cut-off,
  injects in a round that exists;
- at least one package passes the decision rule, before any inject and after each one;
- on scenarios built on a dossier, each issue's options turn every stance of every party they name
  into exactly one option, so any position file can be read as a package;
- no private number or phrase appears where another role could read it (see :func:`find_leaks`).

**The leak check** is mechanical. A public text (``exercise.yaml``, documents every role reads, the
general brief) or another role's brief *leaks* a role's private schedule when one of its sentences

1. names the role, uses a schedule word (points, reservation, weight, threshold, red line, ...) and
   holds the role's reservation value;
2. names an option (by id or title), uses a schedule word and holds the role's points for it;
3. names the role and an issue, says "weight" and holds the role's weight on it (other than 1);
4. holds the role's points for all options of an issue, in order (``35 / 20 / 0``);
5. names every option of one of the role's linkages and holds its points;

or when the text contains six consecutive words of the role's private instructions or notes.
Numbers inside option, issue and role titles ("$50m fund", "60/40 upstream") are ignored, and a
fact the reader holds in its own schedule is not a leak in that reader's brief.

>>> find_leaks.__name__
'find_leaks'
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from negotiation.errors import Problem
from negotiation.exercises.load import read_exercise
from negotiation.exercises.loaded import LoadedExercise
from negotiation.exercises.schema import ANY_PARTY, MATCH_STANCES
from negotiation.exercises.space import space
from negotiation.exercises.valuation import valuation
from negotiation.exercises.wording import PRECISION, fmt
from negotiation.loading.parse import Document, read_text
from negotiation.loading.validate import field_path

SCHEDULE_WORDS = re.compile(
    r"\b(points?|pts|reservation|threshold|minimum|bottom[- ]lines?|walk[- ]away|weights?|weighted|worth|"
    r"scores?|scoring|utility|utilities|values?|valued|priority|priorities|red[- ]lines?)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\d]|\.\d)")
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_ROUND = re.compile(r"\bround[- ]\d+\b", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?;])\s+")
_WORD = re.compile(r"[a-z0-9']+")
SHINGLE = 6


@dataclass
class _RoleFacts:
    role: str
    file: str
    names: tuple[str, ...]
    reservation: set[float] = field(default_factory=set)
    points: dict[str, set[float]] = field(default_factory=dict)
    weights: dict[str, set[float]] = field(default_factory=dict)
    sequences: dict[str, set[tuple[float, ...]]] = field(default_factory=dict)
    linkages: list[tuple[tuple[str, ...], float]] = field(default_factory=list)
    shingles: dict[tuple[str, ...], str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Reading:
    """One sentence as the leak checks see it: its numbers and runs of numbers, and what it names."""

    sentence: str
    lowered: str
    found: set[float]
    runs: list[tuple[list[float], bool]]
    schedule_word: bool
    named_options: set[str]
    own: list[_RoleFacts]


class PrivateFacts:
    """Every role's private numbers and phrases, as the leak check looks for them."""

    def __init__(self, loaded: LoadedExercise) -> None:
        self.loaded = loaded
        ex = loaded.exercise
        states: list[int | None] = [None, *sorted({i.round for i in ex.injects})]
        self.roles: dict[str, _RoleFacts] = {}
        self.option_names: dict[str, tuple[str, ...]] = {}
        self.issue_names: dict[str, tuple[str, ...]] = {}
        for issue in ex.issues:
            self.issue_names[issue.id] = (issue.id, issue.title)
            for option in issue.options:
                self.option_names[option.id] = (option.id, option.title)
        for role in loaded.scored_roles:
            schedule = loaded.schedules.get(role.id)
            if schedule is None:
                continue
            facts = _RoleFacts(role.id, loaded.schedule_files[role.id], (role.id, role.name))
            for state in states:
                v = valuation(loaded, schedule, state)
                facts.reservation.add(round(v.reservation_value, PRECISION))
                for issue in ex.issues:
                    values = v.points.get(issue.id, {})
                    for option_id, points in values.items():
                        facts.points.setdefault(option_id, set()).add(points)
                    raw = schedule.issues.get(issue.id)
                    if raw is not None:
                        for option_id, points in raw.points.items():
                            facts.points.setdefault(option_id, set()).add(round(float(points), PRECISION))
                    weight = v.weights.get(issue.id, 1.0)
                    if weight != 1.0:
                        facts.weights.setdefault(issue.id, set()).add(round(weight, PRECISION))
                    sequence = tuple(values[o.id] for o in issue.options if o.id in values)
                    if len(sequence) >= 2 and len(set(sequence)) > 1:
                        facts.sequences.setdefault(issue.id, set()).add(sequence)
            for linkage in schedule.linkages:
                facts.linkages.append((tuple(linkage.options.values()), abs(float(linkage.points))))
            texts = [schedule.instructions, schedule.notes]
            texts += [link.description for link in schedule.linkages]
            texts += [adj.description for adj in schedule.adjustments]
            for text in texts:
                for shingle in _shingles(_WORD.findall((text or "").lower())):
                    facts.shingles.setdefault(shingle, " ".join(shingle))
            self.roles[role.id] = facts
        # Phrases every schedule shares are boilerplate, not secrets.
        if len(self.roles) > 1:
            common = set.intersection(*(set(f.shingles) for f in self.roles.values()))
            for facts in self.roles.values():
                for shingle in common:
                    facts.shingles.pop(shingle, None)
        labels = [r.name for r in ex.roles] + [i.title for i in ex.issues]
        labels += [o.title for i in ex.issues for o in i.options]
        labels += [r.title for r in ex.rounds] + [i.title for i in ex.injects]
        labels += [d.title for d in ex.documents if d.title]
        # Longest first, so "$120m fund" is masked before "fund".
        self.labels = sorted({lbl for lbl in labels if any(ch.isdigit() for ch in lbl)}, key=len, reverse=True)

    def leaks_in(self, sentence: str, readers: Iterable[str], context: str = "") -> list[str]:
        """The leak messages for one sentence read by ``readers`` (empty: everyone).

        ``context`` is text around the sentence that names things for it: the whole paragraph, and
        for a field of ``exercise.yaml`` the role, issue or option the field describes.
        """
        readers = set(readers)
        masked = _ROUND.sub(" ", _DATE.sub(" ", sentence))
        for label in self.labels:
            masked = re.sub(re.escape(label), " ", masked, flags=re.IGNORECASE)
        numbers = [round(float(n), PRECISION) for n in _NUMBER.findall(masked)]
        if not numbers:
            return []
        lowered = sentence.lower() + " \n " + context.lower()
        schedule_word = SCHEDULE_WORDS.search(sentence) is not None
        reading = _Reading(
            sentence=sentence,
            lowered=lowered,
            found=set(numbers),
            runs=_runs(masked),
            schedule_word=schedule_word,
            named_options=self._named_options(lowered) if schedule_word else set(),
            own=[self.roles[r] for r in readers if r in self.roles],
        )
        out: list[str] = []
        for role, facts in self.roles.items():
            if role not in readers:
                out += self._value_leaks(role, facts, reading) + self._shape_leaks(role, facts, reading)
        return list(dict.fromkeys(out))

    def _value_leaks(self, role: str, facts: _RoleFacts, reading: _Reading) -> list[str]:
        # Single private numbers: a reservation value, an option's points, an issue's weight.
        where, found, own, lowered = f"leaks {facts.file}", reading.found, reading.own, reading.lowered
        names_role = any(_names(lowered, n) for n in facts.names)
        out: list[str] = []
        if names_role and reading.schedule_word:
            for n in sorted(found & facts.reservation):
                if not any(n in o.reservation for o in own):
                    out.append(f"{where}: reservation value {fmt(n)} of role '{role}'")
        if reading.schedule_word:
            for option_id, values in facts.points.items():
                if option_id not in reading.named_options:
                    continue
                for n in sorted(found & values):
                    if not any(n in o.points.get(option_id, set()) for o in own):
                        out.append(f"{where}: {fmt(n)} points of role '{role}' for option '{option_id}'")
        if names_role and re.search(r"\bweight", reading.sentence, re.IGNORECASE):
            for issue_id, weights in facts.weights.items():
                if any(_names(lowered, n) for n in self.issue_names.get(issue_id, ())):
                    for n in sorted(found & weights):
                        out.append(f"{where}: weight {fmt(n)} of role '{role}' on issue '{issue_id}'")
        return out

    def _shape_leaks(self, role: str, facts: _RoleFacts, reading: _Reading) -> list[str]:
        # Private numbers in combination: an issue's points in option order, a linkage's bonus.
        where, lowered = f"leaks {facts.file}", reading.lowered
        names_role = any(_names(lowered, n) for n in facts.names)
        out: list[str] = []
        for issue_id, sequences in facts.sequences.items():
            names_issue = any(_names(lowered, n) for n in self.issue_names.get(issue_id, ()))
            cue = names_role or names_issue or reading.schedule_word
            for sequence in sorted(sequences):
                if _contains(reading.runs, sequence, cue) and not any(
                    sequence in o.sequences.get(issue_id, set()) for o in reading.own
                ):
                    shown = " / ".join(fmt(x) for x in sequence)
                    out.append(f"{where}: points of role '{role}' on issue '{issue_id}' ({shown})")
        for options, points in facts.linkages:
            if points in reading.found and all(_names(lowered, o) for o in options):
                out.append(f"{where}: linkage points {fmt(points)} of role '{role}' ({'+'.join(options)})")
        return out

    def _named_options(self, lowered: str) -> set[str]:
        # An option counts as named unless every mention of it sits inside a longer mention of
        # another option ("hotlines" inside the title "Hotlines, and the NATO office ...").
        spans: dict[str, list[tuple[int, int]]] = {}
        for option_id, names in self.option_names.items():
            for name in names:
                pattern = r"(?<![\w-])" + re.escape(name.lower()) + r"(?![\w-])"
                spans.setdefault(option_id, []).extend(m.span() for m in re.finditer(pattern, lowered))
        named = set()
        for option_id, found in spans.items():
            for start, end in found:
                inside = any(
                    other != option_id and s <= start and end <= e and (e - s) > (end - start)
                    for other, others in spans.items()
                    for s, e in others
                )
                if not inside:
                    named.add(option_id)
                    break
        return named

    def phrase_leaks(self, words: Sequence[str], readers: Iterable[str]) -> list[tuple[int, str]]:
        """(index of the first word, message) for each private phrase found in ``words``."""
        readers = set(readers)
        own: set[tuple[str, ...]] = set()
        for r in readers:
            if r in self.roles:
                own |= set(self.roles[r].shingles)
        out: list[tuple[int, str]] = []
        reported: set[tuple[str, int]] = set()
        for index, shingle in enumerate(_shingles(words)):
            for role, facts in self.roles.items():
                if role in readers or shingle in own or shingle not in facts.shingles:
                    continue
                # One message per run of overlapping shingles.
                if (role, index - 1) in reported:
                    reported.add((role, index))
                    continue
                reported.add((role, index))
                out.append((index, f"leaks {facts.file}: phrase '{facts.shingles[shingle]}' of role '{role}'"))
        return out


def _names(lowered: str, name: str) -> bool:
    # Hyphens count as part of a name, so "hotlines" is not found inside "hotlines-and-missions".
    return re.search(r"(?<![\w-])" + re.escape(name.lower()) + r"(?![\w-])", lowered) is not None


_SEPARATOR = re.compile(r"^[\s/,;|:=-]*$")


def _runs(text: str) -> list[tuple[list[float], bool]]:
    """Runs of numbers with only separators between them, each with whether a slash separates them.

    >>> _runs("Aldoria: 35 / 20 / 0; Art. 4, 5 ¶1")
    [([35.0, 20.0, 0.0], True), ([4.0, 5.0], False), ([1.0], False)]
    """
    runs: list[tuple[list[float], bool]] = []
    previous_end = None
    for match in _NUMBER.finditer(text):
        value = round(float(match.group()), PRECISION)
        between = text[previous_end : match.start()] if previous_end is not None else None
        if between is not None and _SEPARATOR.match(between):
            values, slashed = runs[-1]
            runs[-1] = ([*values, value], slashed or "/" in between)
        else:
            runs.append(([value], False))
        previous_end = match.end()
    return runs


def _contains(runs: Sequence[tuple[list[float], bool]], sequence: Sequence[float], cue: bool) -> bool:
    """True when ``sequence`` appears inside one run, written with slashes or with a cue in the sentence."""
    n = len(sequence)
    for values, slashed in runs:
        if not (slashed or cue):
            continue
        if any(tuple(values[i : i + n]) == tuple(sequence) for i in range(len(values) - n + 1)):
            return True
    return False


def _shingles(words: Sequence[str]) -> Iterator[tuple[str, ...]]:
    for i in range(len(words) - SHINGLE + 1):
        yield tuple(words[i : i + SHINGLE])


def _strings(data: Any, loc: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*loc, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, (*loc, i))


def _implied_names(facts: PrivateFacts, loc: Sequence[str | int]) -> list[str]:
    # A field of a role, issue or option speaks about it without naming it: "its reservation value is 50".
    ex = facts.loaded.exercise
    names: list[str] = []
    if len(loc) >= 2 and loc[0] == "roles" and isinstance(loc[1], int) and loc[1] < len(ex.roles):
        names.append(ex.roles[loc[1]].id)
    if len(loc) >= 2 and loc[0] == "issues" and isinstance(loc[1], int) and loc[1] < len(ex.issues):
        issue = ex.issues[loc[1]]
        names.append(issue.id)
        if len(loc) >= 4 and loc[2] == "options" and isinstance(loc[3], int) and loc[3] < len(issue.options):
            names.append(issue.options[loc[3]].id)
    return names


def leaks_in_document(facts: PrivateFacts, doc: Document, readers: Iterable[str] = ()) -> list[Problem]:
    """Leaks in a parsed YAML/JSON file (each string value checked, located at the value)."""
    readers = tuple(readers)
    problems: list[Problem] = []
    for loc, text in _strings(doc.data):
        line, column = doc.locate(loc)
        context = " ".join([text, *_implied_names(facts, loc)])
        messages = [m for s in _sentences(text) for m in facts.leaks_in(s, readers, context)]
        messages += [m for _, m in facts.phrase_leaks(_WORD.findall(text.lower()), readers)]
        for message in dict.fromkeys(messages):
            problems.append(Problem(doc.path, line, column, field_path(loc), message))
    return problems


def find_leaks(facts: PrivateFacts, shown: str, text: str, readers: Iterable[str] = ()) -> list[Problem]:
    """Leaks in a text file (a brief, a document): one problem per line and finding, at ``line:1``."""
    readers = tuple(readers)
    problems: list[Problem] = []
    words: list[str] = []
    word_lines: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        for message in dict.fromkeys(m for s in _sentences(line) for m in facts.leaks_in(s, readers, line)):
            problems.append(Problem(shown, number, 1, "", message))
        found = _WORD.findall(line.lower())
        words += found
        word_lines += [number] * len(found)
    for index, message in facts.phrase_leaks(words, readers):
        problems.append(Problem(shown, word_lines[index], 1, "", message))
    return sorted(set(problems))


def _sentences(text: str) -> list[str]:
    return [s for part in text.splitlines() for s in _SENTENCE.split(part) if s.strip()]


def public_leaks(loaded: LoadedExercise, facts: PrivateFacts | None = None) -> list[Problem]:
    """Leaks in ``exercise.yaml`` and in every document file of the exercise (checked against its non-readers)."""
    facts = facts or PrivateFacts(loaded)
    problems = leaks_in_document(facts, loaded.docs[loaded.file])
    for document in loaded.exercise.documents:
        if document.file is None or not (loaded.root / document.file).is_file():
            continue
        shown = os.path.join(loaded.shown, document.file)
        text = read_text(loaded.root / document.file, shown)
        problems += find_leaks(facts, shown, text, document.roles)
    return problems


# --- the other lint checks ------------------------------------------------------------------------


def _locate(loaded: LoadedExercise, loc: Sequence[str | int], message: str) -> Problem:
    doc = loaded.docs[loaded.file]
    line, column = doc.locate(loc)
    return Problem(loaded.file, line, column, field_path(loc), message)


def date_problems(loaded: LoadedExercise) -> list[Problem]:
    """Documents after the cut-off, rounds out of order or before the cut-off, file documents' dates."""
    ex = loaded.exercise
    problems: list[Problem] = []
    cutoff = ex.cutoff
    for i, document in enumerate(ex.documents):
        date = document.date
        if document.position is not None and loaded.record is not None and document.position in loaded.record.positions:
            date = loaded.record.positions[document.position].date
            if date is None:
                problems.append(
                    _locate(loaded, ("documents", i, "position"), f"position '{document.position}' has no date")
                )
                continue
        if cutoff is not None and date is not None and date > cutoff:
            what = document.position or document.file
            problems.append(
                _locate(
                    loaded,
                    ("documents", i),
                    f"'{what}' is dated {date.isoformat()}, after the cut-off {cutoff.isoformat()}",
                )
            )
    previous = None
    for i, rnd in enumerate(sorted(ex.rounds, key=lambda r: r.number)):
        index = ex.rounds.index(rnd)
        if rnd.date is None:
            continue
        if cutoff is not None and rnd.date < cutoff:
            problems.append(
                _locate(
                    loaded,
                    ("rounds", index, "date"),
                    f"round {rnd.number} is dated {rnd.date.isoformat()}, before the cut-off {cutoff.isoformat()}",
                )
            )
        if previous is not None and previous.date is not None and rnd.date < previous.date:
            problems.append(
                _locate(
                    loaded,
                    ("rounds", index, "date"),
                    f"round {rnd.number} is dated {rnd.date.isoformat()}, before round {previous.number} "
                    f"({previous.date.isoformat()})",
                )
            )
        previous = rnd
        del i
    return problems


def feasibility_problems(loaded: LoadedExercise) -> tuple[list[Problem], dict[str, Any]]:
    """A problem when no package passes the decision rule, before any inject or from an inject's round on."""
    problems: list[Problem] = []
    summary: dict[str, Any] = {}
    for state in [None, *sorted({i.round for i in loaded.exercise.injects})]:
        result = space(loaded, state, pareto=False)  # only the counts are checked
        key = "base" if state is None else f"round {state}"
        summary[key] = result.rule.count
        if result.rule.count == 0:
            how = "of the" if result.exhaustive else f"of {result.evaluated} sampled from the"
            when = "before any inject" if state is None else f"from round {state} on"
            problems.append(
                _locate(
                    loaded,
                    ("decision_rule",),
                    f"no package {how} {result.total} passes the decision rule {when}",
                )
            )
    return problems, summary


def matching_problems(loaded: LoadedExercise) -> list[Problem]:
    """For issues mapped to dossier codes: every stance of every matched party selects exactly one option."""
    problems: list[Problem] = []
    for i, issue in enumerate(loaded.exercise.issues):
        if not issue.codes:
            continue
        keys = list(dict.fromkeys(k for o in issue.options for k in o.match))
        if not keys:
            problems.append(_locate(loaded, ("issues", i, "codes"), "maps to dossier codes but no option has a match"))
            continue
        for key in keys:
            for stance in MATCH_STANCES:
                chosen = [o.id for o in issue.options if stance in o.match.get(key, ())]
                if not chosen and key != ANY_PARTY:
                    chosen = [o.id for o in issue.options if stance in o.match.get(ANY_PARTY, ())]
                    if chosen:
                        continue
                if len(chosen) > 1:
                    problems.append(
                        _locate(
                            loaded,
                            ("issues", i, "options"),
                            f"stance '{stance}' of '{key}' selects several options: {', '.join(chosen)}",
                        )
                    )
                elif not chosen:
                    problems.append(
                        _locate(loaded, ("issues", i, "options"), f"no option matches stance '{stance}' of '{key}'")
                    )
    return problems


@dataclass
class LintReport:
    """Every problem found, and what was checked."""

    exercise: str | None
    problems: list[Problem]
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems

    @property
    def unreadable(self) -> bool:
        """True when some input could not be read at all."""
        return any(p.unreadable for p in self.problems)

    @property
    def message(self) -> str:
        """A one-line summary of a clean exercise."""
        s = self.summary
        base = s.get("feasible", {}).get("base", 0)
        text = (
            f"{s.get('roles', 0)} roles, {s.get('issues', 0)} issues, {s.get('packages', 0)} packages, "
            f"{fmt(base)} pass{'es' if base == 1 else ''} the decision rule"
        )
        later = [f"{fmt(v)} from {k}" for k, v in s.get("feasible", {}).items() if k != "base"]
        return text + (f" ({', '.join(later)})" if later else "") + ", no leaks"


def lint(path: str | Path) -> LintReport:
    """Lint an exercise folder; every problem in every file at once."""
    loaded, problems = read_exercise(path)
    if loaded is None:
        return LintReport(None, sorted(set(problems)))
    # Feasibility needs sound schedules; with structural problems it would only add noise.
    sound = not problems
    problems += date_problems(loaded)
    problems += matching_problems(loaded)
    summary: dict[str, Any] = {
        "roles": len(loaded.exercise.roles),
        "issues": len(loaded.exercise.issues),
        "packages": loaded.package_space_size(),
    }
    if sound:
        found, feasible = feasibility_problems(loaded)
        problems += found
        summary["feasible"] = feasible
    if loaded.schedules:
        problems += public_leaks(loaded)
    return LintReport(loaded.id, sorted(set(problems)), summary)


__all__ = [
    "LintReport",
    "PrivateFacts",
    "date_problems",
    "feasibility_problems",
    "find_leaks",
    "leaks_in_document",
    "lint",
    "matching_problems",
    "public_leaks",
]
