"""Decision rules and what they decide: each party's score, vetoes, the outcome of a rule, the verdict."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from negotiation.exercises.loaded import Package
from negotiation.exercises.wording import fmt, num, signed
from negotiation.schema import DecisionRule


@dataclass(frozen=True)
class PartyScore:
    """One party's score of a package, with the terms that make it up."""

    role: str
    points: float
    reservation_value: float
    margin: float
    red_lines: tuple[tuple[str, str], ...]
    accepts: bool
    terms: tuple[tuple[str, str, float], ...]
    linkages: tuple[tuple[str, float], ...]
    adjustments: tuple[str, ...]

    @property
    def explanation(self) -> str:
        """The arithmetic, e.g. ``a2 20 + b2 12 + ... = 58; reservation 50; margin +8; accepts``."""
        parts = [f"{o} {fmt(p)}" for _, o, p in self.terms]
        parts += [f"linkage {d} {signed(p)}" for d, p in self.linkages]
        text = " + ".join(parts) + f" = {fmt(self.points)}; reservation {fmt(self.reservation_value)}"
        text += f"; margin {signed(self.margin)}"
        if self.red_lines:
            text += "; red line " + ", ".join(o for _, o in self.red_lines) + " crossed"
        if self.adjustments:
            text += "; after " + ", ".join(self.adjustments)
        return text + ("; accepts" if self.accepts else "; does not accept")

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "role": self.role,
            "points": num(self.points),
            "reservation_value": num(self.reservation_value),
            "margin": num(self.margin),
            "red_lines_crossed": [{"issue": i, "option": o} for i, o in self.red_lines],
            "accepts": self.accepts,
            "terms": [{"issue": i, "option": o, "points": num(p)} for i, o, p in self.terms],
            "linkages": [{"description": d, "points": num(p)} for d, p in self.linkages],
            "adjustments": list(self.adjustments),
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class Veto:
    """A veto triggered: who blocks, at which level, and why."""

    role: str
    at: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"role": self.role, "at": self.at, "reason": self.reason}


@dataclass(frozen=True)
class RuleOutcome:
    """Whether a decision rule (the exercise's or a coalition's) is met, and why."""

    body: str
    rule: str
    voters: tuple[str, ...]
    accepting: tuple[str, ...]
    vetoes: tuple[Veto, ...]
    met: bool

    @property
    def explanation(self) -> str:
        """E.g. ``k-of-n (3 of 4, vetoes aldoria, brevnia): 3 of 4 accept (...); met``."""
        text = f"{self.rule}: {len(self.accepting)} of {len(self.voters)} accept"
        if self.accepting:
            text += f" ({', '.join(self.accepting)})"
        if self.vetoes:
            text += "; vetoes: " + "; ".join(f"{v.role} ({v.reason})" for v in self.vetoes)
        return text + ("; met" if self.met else "; not met")

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "body": self.body,
            "rule": self.rule,
            "voters": list(self.voters),
            "accepting": list(self.accepting),
            "vetoes_triggered": [v.to_dict() for v in self.vetoes],
            "met": self.met,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class Verdict:
    """A package scored against every schedule, each coalition's rule and the exercise's decision rule."""

    package: Package
    round: int | None
    parties: dict[str, PartyScore]
    coalitions: dict[str, RuleOutcome]
    decision: RuleOutcome

    @property
    def met(self) -> bool:
        """True when the exercise's decision rule accepts the package."""
        return self.decision.met

    def accepts(self, role_id: str) -> bool:
        """Whether a party or coalition accepts the package."""
        if role_id in self.coalitions:
            return self.coalitions[role_id].met
        return self.parties[role_id].accepts

    @property
    def vetoes(self) -> tuple[Veto, ...]:
        """Every veto triggered, in coalitions and in the plenary."""
        found = [v for c in self.coalitions.values() for v in c.vetoes]
        return (*found, *self.decision.vetoes)

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "package": dict(self.package),
            "round": self.round,
            "parties": [p.to_dict() for p in self.parties.values()],
            "coalitions": [c.to_dict() for c in self.coalitions.values()],
            "decision": self.decision.to_dict(),
        }


def describe_rule(rule: DecisionRule, voters: Sequence[str]) -> str:
    """A rule in words, e.g. ``k-of-n (3 of 4; vetoes aldoria, brevnia)``."""
    n = len(voters)
    if rule.kind == "k-of-n":
        text = f"k-of-n ({rule.k} of {n}"
    elif rule.kind == "majority":
        text = f"majority (more than half of {n}"
    else:
        text = f"{rule.kind} (all {n}"
    if rule.vetoes:
        text += f"; vetoes {', '.join(rule.vetoes)}"
    return text + ")"


def needed(rule: DecisionRule, n: int) -> int:
    """How many of ``n`` voters must accept under ``rule``."""
    if rule.kind == "k-of-n":
        assert rule.k is not None
        return rule.k
    if rule.kind == "majority":
        return n // 2 + 1
    return n


def rule_outcome(
    body: str, rule: DecisionRule, voters: Sequence[str], accepts: dict[str, bool], extra: Sequence[Veto]
) -> RuleOutcome:
    accepting = tuple(v for v in voters if accepts[v])
    vetoes = list(extra)
    holders = set(voters) if rule.kind in ("consensus", "unanimity") else set(rule.vetoes)
    for voter in voters:
        if voter in holders and not accepts[voter]:
            why = "holds a veto" if voter in rule.vetoes else f"every voter can block under {rule.kind}"
            vetoes.append(Veto(voter, body, f"does not accept; {why}"))
    met = len(accepting) >= needed(rule, len(voters)) and all(accepts[v] for v in rule.vetoes) and not extra
    return RuleOutcome(body, describe_rule(rule, voters), tuple(voters), accepting, tuple(vetoes), met)
