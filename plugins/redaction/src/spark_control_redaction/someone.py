"""Whether a text shows any sign of a person besides what the detector found (issue 21,
round 14): a pronoun of a person (the writer's too), a word of family, of care or of a
life's events, a role only people hold, a title before a capitalised word, a verb of people after a
capitalised word, a result between two sides, or a guess of the model written like a
person's name. A text without any of these is about no one, and the model's places and
organisations in it are not personal data ("Heavy rain closed the A9 near Perth").

The words are ordinary English (and a few words of thanks of other languages), written
by hand.
"""

from __future__ import annotations

import re

# He, she and their forms, and the nouns a text about someone uses for them. ("They"
# and "you" are left out: a notice says "they" of trains and "you" of its reader.)
_PERSON_WORDS_TEXT = """
    he she him his her hers himself herself me my mine myself i'm i've i'll i'd
    mother father mum mom dad mummy daddy wife husband son daughter sons daughters
    brother sister brothers sisters grandmother grandfather grandma grandpa granny
    grandson granddaughter nonna nonno nana aunt uncle cousin niece nephew twins
    stepson stepdaughter fiance fiancé fiancée widow widower girlfriend boyfriend
    baby toddler newborn bride groom neighbour neighbor
    patient physio physiotherapist nurse midwife
    parental maternity paternity pregnant pregnancy bereavement funeral wedding
    birthday bday obituary condolences christening baptism
    scorer scorers striker goalkeeper captain referee teacher tutor
    grazie merci danke gracias obrigado obrigada dziękuję
"""
_PERSON_WORDS = frozenset(_PERSON_WORDS_TEXT.split())
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")
# "I" as a word, in capitals only ("i" is a loop's counter in code).
_I = re.compile(r"(?<![\w.'\u2019-])I(?![\w.'\u2019-])")
# A title before a name ("Mrs Delacroix", "Dr. Eze"); "Dr" of a street ("Elm Dr") has
# no capitalised word after it.
_TITLE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Mx|Miss|Dr|Prof|Sir|Dame|Rev|Mme|Mlle|Herr|Frau)\.?[ \u00a0]+[^\W\d_a-z]"
)
# A result between two sides written as names ("Varga 1-0 Lindholm", "Okafor ½-½ Berg",
# "Berg 2:1 Obi"). Two digits after a colon are a time's minutes ("at 02:14 UTC", round
# 16), no score.
_RESULT = re.compile(
    r"[^\W\d_][ \t]+(?:\d{1,2}|½)[ \t]*"
    r"(?:[-\u2013][ \t]*(?:\d{1,2}|½)|:[ \t]*(?:\d|½)(?!\d))[ \t]+[^\W\d_a-z]"
)

# A capitalised word that does what people do: moves, lives, works, travels, speaks
# ("Alice moved to the Lisbon region", "Bob works in the Berlin time zone"), the person
# the model missed. Verbs of companies ("opened", "recalled", "rose") are left out.
_ACTS = re.compile(
    r"\b[^\W\d_a-z][^\W\d_A-Z]+[ \t]+(?:"
    r"moved|moves|lives|lived|works|worked|flies|flew|met|meets|says|told|tells|asked|"
    r"asks|wrote|writes|thinks|thought|feels|felt|wants|wanted|visited|visits|studied|"
    r"studies|married|retired|retires|phoned|emailed|arrived|arrives|travels|travelled|"
    r"traveled|commutes|spoke|speaks|booked|grew|was born|is born|smiled|laughed|cried"
    r")\b"
)

# A capitalised word that "who" follows ("… is Ama Owusu, who will talk about …"): the
# pronoun of people only (round 16).
_WHO = re.compile(r"\b[^\W\d_a-z][^\W\d_A-Z]+,?[ \t]+who(?:m|se)?\b")


def shows_someone(text: str, person_shaped: bool) -> bool:
    """Whether ``text`` shows a person: by its words (``_PERSON_WORDS``, "I"), a title before
    a capitalised word, a result between two sides, a capitalised word before a verb of
    people (``_ACTS``) or before "who" (``_WHO``), or (``person_shaped``, the caller's
    reading of the model's guesses) a guess written like a person's name."""
    if person_shaped or _I.search(text) or _TITLE.search(text) or _RESULT.search(text):
        return True
    if _ACTS.search(text) or _WHO.search(text):
        return True
    return any(w.casefold() in _PERSON_WORDS for w in _WORD.findall(text))


# What introduces a place or an organisation as someone's: a customer, a client or a
# member named, a login from a place, a field of an address ("city: Tartu").
_INTRODUCED = re.compile(
    r"(?i)(?:\b(?:customer|client|tenant|member|subscriber|account holder)[ \t]*[:,]?"
    r"|\b(?:login|logon|logged[ \t]+in|signed[ \t]+in|sign-in)[ \t]+from"
    r"|(?:^|\n)[ \t]*[\"']?(?:city|town|country|address|location|home)[\"']?[ \t]*[:=])"
    r"[ \t]*$"
)


def introduced(text: str, start: int) -> bool:
    """Whether the place or organisation at ``start`` is introduced as someone's (a
    customer, a login's place, an address field)."""
    return bool(_INTRODUCED.search(text, max(0, start - 40), start))
