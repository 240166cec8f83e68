"""Counterparts that negotiate back: NegMAS negotiators playing an exercise's roles.

This room is the only one that imports NegMAS (the ``agents`` extra); the exercise model in
:mod:`negotiation.exercises` never does. :mod:`negotiation.agents.adapter` turns an exercise into a
NegMAS outcome space and one utility function per scored role; :mod:`negotiation.agents.session`
runs the stacked alternating-offers protocol and applies our own decision rule to what was agreed.
"""

from __future__ import annotations
