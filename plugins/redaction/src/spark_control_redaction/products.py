"""Whether a one-word person the model guesses stands where a product, a tool or a button
stands (issue 21, round 15): after a step's verb ("Press Restart", "use Kafka"), after a
word that puts it inside a system ("in Grafana", "via Tailscale", "works with Stripe,
PayPal and Square"), in a menu's path ("Settings > Network"), before a version ("Atlas
7", "Kafka 3.6"), a state only a program has ("Redis is down") or a noun it modifies
("Zigbee pairing"). A word also written in lower case in an identifier is no sign of
one: a user name is made of its person's name ("alice_tools"). The caller drops such
guesses only in a text that shows no sign of a person at all (someone.py) and only when
every one-word guess of a person stands so; one guess elsewhere ("Jenkins approved it")
keeps them all.

The words are ordinary English verbs of software and menus, written by hand.
"""

from __future__ import annotations

import re

# The verbs of a step in a how-to, a menu or a runbook: what one does to a program or a
# button, never to a person ("ask", "tell", "ping", "call" and "thank" are left out).
_STEP_VERBS = (
    r"open|press|click|tap|choose|select|enable|disable|install|uninstall|run|launch|"
    r"restart|reload|start|stop|configure|upgrade|update|use|deploy|build|type|hit|toggle|"
    r"turn on|turn off|go to|navigate to|switch to|right-click|double-click|check|"
    r"uncheck|set up|migrate to|uses|used|built on|on top of|"
    r"(?:works|work|built|integrates|integrated|compatible|ships|comes|replaced) with|"
    r"(?:triggered|generated|rendered|indexed) by"
)
# Words that put a thing inside or through a system ("in Grafana", "via Tailscale"): a
# person is met "with", written "to", reached "through", met "between" and played
# "versus", so those are left out.
_INSIDE = r"in|into|inside|via|using|than|onto|within"
# ... with the items of a list before the word ("via Terraform and Rollup").
_ITEMS_BEFORE = (
    r"(?:[^\W\d_][\w.+-]*(?:[ \t]*,[ \t]*|[ \t]+(?:and|or)[ \t]+|[ \t]*,[ \t]*(?:and|or)[ \t]+))*"
)
_BEFORE = re.compile(
    rf"(?i)(?:\b(?:{_STEP_VERBS}|{_INSIDE})[ \t]+(?:the[ \t]+)?{_ITEMS_BEFORE}"
    r"|[>\u203a\u2192][ \t]*)$"
)
# What only a program does or is ("Redis is down", "Serde parses the JSON", "Kafka is
# deprecated"); "Tobias is off" and "Tom runs the meeting" are people's.
_MACHINE = (
    r"(?:is|was|are|gets|got|keeps)[ \t]+(?:not[ \t]+)?(?:installed|configured|enabled|"
    r"disabled|deprecated|unreachable|upgraded|restarted|rebooted|containerised|containerized|"
    r"down(?=[ \t]*(?:[,.;:!)]|$))|compatible)|crashes|crashed|compiles|parses|renders|"
    r"indexes|exposes|emits|serializes|serialises|spools|retries|times out|timed out|"
    r"throws|panics|segfaults|reboots|rebooted"
)
# What only a program does, a menu's next step, or a
# version right after the word ("Kafka 3.6", "Solr 8.x"; not a time of day "Grace 10:30"
# nor a date "Luna 2/3").
_AFTER = re.compile(
    rf"[ \t]+(?:{_MACHINE})(?!\w)|[ \t]*[>\u203a\u2192]"
    r"|[ \t]+v?\d+(?:\.(?:\d+|x))*(?![\d:/\-\u2013.]|\.\d)"
)
# A noun it modifies, by its ending ("Kafka consumer", "Zigbee pairing", "Kafka disk
# usage"): a person's name is followed by a verb ("Jenkins approved", "Bodhi says"), and
# the words of a sentence's frame that end so are left out ("never", "after").
_NOUN_AFTER = re.compile(
    r"[ \t]+(?!(?:never|ever|over|after|later|either|neither|rather|together|other|under|"
    r"whether|further|sooner|nothing|something|anything|everything|being|going)\b)"
    r"[a-z]{2,}(?:ing|tion|sion|ment|ness|ity|er|or|age|ure|ance|ence|ship|ism|ware|work)s?\b"
)
# The items of a list, joined to a neighbour that stands as a product ("between Grafana
# and Sentry", "use Pandas, Matplotlib or Seaborn").
_JOIN = re.compile(r"[ \t]*(?:,|and|or|&|/)[ \t]*(?:,|and|or)?[ \t]*")


def _possessive(text: str, end: int) -> bool:
    """ "in Priya's team": a possessive is a person's."""
    return bool(re.match(r"['\u2019]s?\b", text[end : end + 2]))


def after_a_step(text: str, start: int) -> bool:
    """Whether the word at ``start`` follows a step's verb, a word that puts it inside or
    between systems, or a menu's arrow ("Open Settings", "via Tailscale"): then the
    capitalised word before it is no part of a person's name."""
    line_start = text.rfind("\n", 0, start) + 1
    return bool(_BEFORE.search(text[max(line_start, start - 40) : start]))


def _alone(text: str, start: int, end: int) -> bool:
    """Whether the word stands as a product by itself (see the module's docstring)."""
    if _possessive(text, end):
        return False
    if after_a_step(text, start):
        return True
    return bool(_AFTER.match(text, end) or _NOUN_AFTER.match(text, end))


def stand_as_products(text: str, words: list[tuple[int, int]]) -> bool:
    """Whether every word (``(start, end)`` of one-word guesses of a person) stands as a
    product, a tool or a button; a word joined in a list to one that does stands so too,
    and so does every mention of a word one mention of which does ("export it from
    Grafana ... in Grafana": one thing in one text), unless one mention is a possessive."""
    if not words:
        return False
    ordered = sorted(words)
    alone = [_alone(text, s, e) for s, e in ordered]
    changed = True
    while changed:
        changed = False
        for i in range(len(ordered) - 1):
            if alone[i] != alone[i + 1] and _JOIN.fullmatch(
                text[ordered[i][1] : ordered[i + 1][0]]
            ):
                alone[i] = alone[i + 1] = True
                changed = True
        values = {text[s:e] for (s, e), a in zip(ordered, alone, strict=True) if a}
        for i, (s, e) in enumerate(ordered):
            if not alone[i] and text[s:e] in values and not _possessive(text, e):
                alone[i] = changed = True
    return all(alone)
