"""Independent merge cases written from SPEC §8 (and issue 22's rules) alone.

Written before reading the plugin's merge code, its tests or docs/AUDIO_API.md, so
they do not share the implementer's assumptions. Each case holds raw ASR output
in one of three real shapes (WhisperX ``word_segments``/``segments``, OpenAI
``verbose_json``, NeMo-style ``timestamps.word``/``timestamps.segment``), the
diarizer's turns and what a literal reading of §8 expects:

- ``labels``: the speaker of every word, in input order;
- ``segments``: the output segments in order (speaker, text; start/end when the
  segment is an unsplit ASR segment, whose times must be kept);
- ``interpolated``: how many words had their time filled in.

``kind`` is ``spec`` where §8 forces the answer and ``choice`` where it leaves one
(the note says which reading the expectation picks).
"""

from __future__ import annotations

from typing import Any

Case = dict[str, Any]
A, B, C = "SPEAKER_00", "SPEAKER_01", "SPEAKER_02"


def ww(*items: tuple[str, float | None, float | None]) -> list[dict[str, Any]]:
    """WhisperX word_segments: a word without alignment has no start/end keys."""
    out = []
    for word, start, end in items:
        w: dict[str, Any] = {"word": word}
        if start is not None:
            w["start"] = start
            w["end"] = end
            w["score"] = 0.9
        out.append(w)
    return out


def run(
    t0: float, text: str, step: float = 0.4, dur: float = 0.3
) -> list[tuple[str, float, float]]:
    """Evenly timed words starting at t0."""
    return [
        (w, round(t0 + i * step, 3), round(t0 + i * step + dur, 3))
        for i, w in enumerate(text.split())
    ]


def whisperx(
    segments: list[tuple[float, float, list[tuple[str, float | None, float | None]]]],
) -> dict[str, Any]:
    segs = []
    words: list[dict[str, Any]] = []
    for start, end, items in segments:
        wl = ww(*items)
        segs.append(
            {"start": start, "end": end, "text": " " + " ".join(i[0] for i in items), "words": wl}
        )
        words.extend(wl)
    return {"format": "whisperx", "data": {"segments": segs, "word_segments": words}}


def openai(
    segments: list[tuple[float, float, list[tuple[str, float, float]]]], language: str = "english"
) -> dict[str, Any]:
    segs = []
    words = []
    for i, (start, end, items) in enumerate(segments):
        text = " " + " ".join(w for w, _, _ in items)
        segs.append(
            {
                "id": i,
                "seek": 0,
                "start": start,
                "end": end,
                "text": text,
                "tokens": [],
                "temperature": 0.0,
                "avg_logprob": -0.2,
                "compression_ratio": 1.2,
                "no_speech_prob": 0.01,
            }
        )
        words.extend({"word": w, "start": s, "end": e} for w, s, e in items)
    full = "".join(s["text"] for s in segs).strip()
    duration = max((s["end"] for s in segs), default=0.0)
    return {
        "format": "openai",
        "data": {
            "task": "transcribe",
            "language": language,
            "duration": duration,
            "text": full,
            "words": words,
            "segments": segs,
        },
    }


def openai_words_only(items: list[tuple[str, float, float]]) -> dict[str, Any]:
    words = [{"word": w, "start": s, "end": e} for w, s, e in items]
    return {
        "format": "openai",
        "data": {
            "task": "transcribe",
            "language": "english",
            "duration": items[-1][2] if items else 0.0,
            "text": " ".join(w for w, _, _ in items),
            "words": words,
        },
    }


def nemo(segments: list[tuple[float, float, list[tuple[str, float, float]]]]) -> dict[str, Any]:
    """NeMo-wrapper /transcribe: timestamps.word/segment in seconds plus frame offsets."""
    words = []
    segs = []
    for start, end, items in segments:
        segs.append(
            {
                "segment": " ".join(w for w, _, _ in items),
                "start": start,
                "end": end,
                "start_offset": int(start / 0.08),
                "end_offset": int(end / 0.08),
            }
        )
        words.extend(
            {
                "word": w,
                "start": s,
                "end": e,
                "start_offset": int(s / 0.08),
                "end_offset": int(e / 0.08),
            }
            for w, s, e in items
        )
    return {
        "format": "nemo",
        "data": {
            "text": " ".join(s["segment"] for s in segs),
            "timestamps": {"word": words, "segment": segs},
        },
    }


def turns(*items: tuple[float, float, str]) -> list[dict[str, Any]]:
    return [{"start": s, "end": e, "speaker": spk} for s, e, spk in items]


def seg(
    speaker: str, text: str, start: float | None = None, end: float | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {"speaker": speaker, "text": text}
    if start is not None:
        out["start"] = start
        out["end"] = end
    return out


CASES: list[Case] = []


def case(
    cid: str,
    kind: str,
    rule: str,
    asr: dict[str, Any],
    trn: list[dict[str, Any]],
    expect: dict[str, Any],
    note: str = "",
    **extra: Any,
) -> None:
    for idx, text in extra.pop("wordless_text", {}).items():  # "[inaudible]", "[music]" markers
        asr["data"]["segments"][idx]["text"] = " " + text
        expect["segments"][idx]["text"] = text
    CASES.append(
        {
            "id": cid,
            "kind": kind,
            "rule": rule,
            "asr": asr,
            "turns": trn,
            "expect": expect,
            "note": note,
            **extra,
        }
    )


# ---------------------------------------------------------------- labelling ---

case(
    "L01",
    "spec",
    "basic two speakers, ASR segments kept as they are",
    whisperx(
        [
            (0.0, 1.9, run(0.2, "good morning everyone")),
            (2.4, 4.3, run(2.5, "morning thanks for joining")),
        ]
    ),
    turns((0.0, 2.1, A), (2.3, 4.5, B)),
    {
        "labels": [A] * 3 + [B] * 4,
        "segments": [
            seg(A, "good morning everyone", 0.0, 1.9),
            seg(B, "morning thanks for joining", 2.4, 4.3),
        ],
    },
)

# X (1.0-2.0) overlaps A 0.3+0.3=0.6 in two turns and B 0.4 in one: summed, A wins.
case(
    "L02",
    "spec",
    "greatest SUMMED overlap beats the single largest turn",
    whisperx(
        [
            (
                0.0,
                3.4,
                [
                    ("so", 0.2, 0.8),
                    ("basically", 1.0, 2.0),
                    ("we", 2.1, 2.5),
                    ("agree", 2.6, 3.0),
                    ("now", 3.1, 3.4),
                ],
            )
        ]
    ),
    turns((0.0, 1.3, A), (1.3, 1.7, B), (1.7, 2.0, A), (2.0, 3.5, B)),
    {"labels": [A, A, B, B, B], "segments": [seg(A, "so basically"), seg(B, "we agree now")]},
)

# "then" 2.0-2.5: A ends at 2.0 (touch only), B starts 2.6. No overlap -> nearest by
# midpoint: A mid 1.5 (0.75 away), B mid 2.8 (0.55 away) -> B.
case(
    "L03",
    "spec",
    "a turn that only touches the word does not count; nearest by midpoint",
    whisperx(
        [
            (
                1.0,
                3.0,
                [
                    ("okay", 1.2, 1.6),
                    ("fine", 1.65, 1.95),
                    ("then", 2.0, 2.5),
                    ("let's", 2.6, 2.8),
                    ("go", 2.8, 3.0),
                ],
            )
        ]
    ),
    turns((1.0, 2.0, A), (2.6, 3.0, B)),
    {"labels": [A, A, B, B, B], "segments": [seg(A, "okay fine"), seg(B, "then let's go")]},
)

# "right" 10.0-10.2 (mid 10.1) is in a gap: A 0-9.9 (edge 0.2, mid 4.95), B 10.5-11.0
# (edge 0.3, mid 10.75). By midpoint B; by nearest edge A.
case(
    "L04",
    "spec",
    "nearest turn by midpoint, not by nearest edge",
    openai(
        [
            (
                9.0,
                11.0,
                [
                    ("so", 9.0, 9.3),
                    ("anyway", 9.4, 9.8),
                    ("right", 10.0, 10.2),
                    ("yes", 10.5, 10.7),
                    ("indeed", 10.75, 11.0),
                ],
            )
        ]
    ),
    turns((0.0, 9.9, A), (10.5, 11.0, B)),
    {"labels": [A, A, B, B, B], "segments": [seg(A, "so anyway"), seg(B, "right yes indeed")]},
)

case(
    "L05",
    "spec",
    "no turn overlaps any word: every word still labelled, by midpoint",
    whisperx(
        [
            (
                2.0,
                4.3,
                [("um", 2.0, 2.2), ("well", 2.3, 2.5), ("sure", 3.8, 4.0), ("thing", 4.1, 4.3)],
            )
        ]
    ),
    turns((0.0, 1.0, A), (5.0, 6.0, B)),
    {"labels": [A, A, B, B], "segments": [seg(A, "um well"), seg(B, "sure thing")]},
)

# CHOICE (found on running): the word lies wholly inside B's own short turn. The code keeps a
# flip its own turns cover >= 80 % (a real interjection, docs rule 4); 'flips at turn
# boundaries' does not say whether such a word is a flip. See L32.
case(
    "L06",
    "choice",
    "one-word flip inside a run of one speaker is smoothed",
    whisperx(
        [
            (
                0.0,
                3.6,
                [
                    ("we", 0.2, 0.6),
                    ("could", 0.8, 1.4),
                    ("yeah", 2.05, 2.35),
                    ("try", 2.5, 3.0),
                    ("that", 3.1, 3.6),
                ],
            )
        ]
    ),
    turns((0.0, 2.0, A), (2.0, 2.4, B), (2.4, 5.0, A)),
    {"labels": [A] * 5, "segments": [seg(A, "we could yeah try that", 0.0, 3.6)]},
    note="the flipped word lies in a short turn of B at A's turn boundary",
)

case(
    "L07",
    "spec",
    "a two-word run of another speaker splits the segment",
    whisperx(
        [
            (
                0.0,
                3.5,
                [
                    *run(0.0, "I think so"),
                    ("no", 1.2, 1.5),
                    ("wait", 1.6, 1.9),
                    *run(2.0, "go on then"),
                ],
            )
        ]
    ),
    turns((0.0, 1.15, A), (1.15, 1.95, B), (1.95, 3.5, A)),
    {
        "labels": [A, A, A, B, B, A, A, A],
        "segments": [seg(A, "I think so"), seg(B, "no wait"), seg(A, "go on then")],
    },
)

case(
    "L08",
    "spec",
    "never split at a pause",
    openai([(0.0, 6.0, run(0.0, "first part") + run(4.0, "second part after silence"))]),
    turns((0.0, 6.0, A)),
    {"labels": [A] * 6, "segments": [seg(A, "first part second part after silence", 0.0, 6.0)]},
)

case(
    "L09",
    "spec",
    "never join ASR segments, even of one speaker back to back",
    openai(
        [
            (0.0, 1.2, run(0.0, "one two three")),
            (1.2, 2.4, run(1.2, "four five six")),
            (2.4, 3.6, run(2.4, "seven eight nine")),
        ]
    ),
    turns((0.0, 4.0, A)),
    {
        "labels": [A] * 9,
        "segments": [
            seg(A, "one two three", 0.0, 1.2),
            seg(A, "four five six", 1.2, 2.4),
            seg(A, "seven eight nine", 2.4, 3.6),
        ],
    },
)

case(
    "L10",
    "spec",
    "a segment with no words is kept and labelled by overlap",
    whisperx(
        [
            (0.0, 1.1, run(0.0, "hello there all")),
            (1.5, 3.0, []),
            (3.2, 4.3, run(3.2, "sorry about that")),
        ]
    ),
    turns((0.0, 1.3, A), (1.4, 3.1, B), (3.1, 4.5, A)),
    {
        "labels": [A] * 6,
        "segments": [
            seg(A, "hello there all", 0.0, 1.1),
            seg(B, "", 1.5, 3.0),
            seg(A, "sorry about that", 3.2, 4.3),
        ],
    },
    wordless_text={1: "[inaudible]"},
)

case(
    "L11",
    "spec",
    "a wordless segment in a gap is labelled by the nearest turn by midpoint",
    whisperx(
        [
            (0.0, 1.1, run(0.0, "thanks very much")),
            (6.0, 7.0, []),
            (8.0, 9.1, run(8.0, "you're welcome then")),
        ]
    ),
    turns((0.0, 1.2, A), (7.5, 9.5, B)),
    {
        "labels": [A] * 3 + [B] * 3,
        "segments": [
            seg(A, "thanks very much", 0.0, 1.1),
            seg(B, "", 6.0, 7.0),
            seg(B, "you're welcome then", 8.0, 9.1),
        ],
    },
    wordless_text={1: "[music]"},
)

case(
    "L12",
    "spec",
    "a WhisperX word without timestamps takes its time from its neighbours",
    whisperx(
        [
            (
                0.0,
                2.5,
                [
                    ("we", 0.1, 0.3),
                    ("sold", 0.4, 0.7),
                    ("2024", None, None),
                    ("units", 1.5, 1.9),
                    ("today", 2.0, 2.4),
                ],
            )
        ]
    ),
    turns((0.0, 2.5, A), (3.0, 5.0, B)),
    {
        "labels": [A] * 5,
        "segments": [seg(A, "we sold 2024 units today", 0.0, 2.5)],
        "interpolated": 1,
    },
)

case(
    "L13",
    "spec",
    "an untimed first word of a segment takes its time from the segment/neighbour",
    whisperx(
        [
            (0.0, 1.2, run(0.0, "so we start")),
            (
                3.0,
                4.5,
                [("42", None, None), ("is", 3.5, 3.7), ("the", 3.8, 3.9), ("answer", 4.0, 4.5)],
            ),
        ]
    ),
    turns((0.0, 1.5, A), (2.8, 5.0, B)),
    {
        "labels": [A] * 3 + [B] * 4,
        "segments": [seg(A, "so we start", 0.0, 1.2), seg(B, "42 is the answer", 3.0, 4.5)],
        "interpolated": 1,
    },
)

case(
    "L14",
    "spec",
    "several untimed words in a row are all interpolated and counted",
    whisperx(
        [
            (
                0.0,
                3.0,
                [
                    ("call", 0.0, 0.4),
                    ("555", None, None),
                    ("0100", None, None),
                    ("%", None, None),
                    ("now", 2.5, 3.0),
                ],
            )
        ]
    ),
    turns((0.0, 3.2, A)),
    {"labels": [A] * 5, "segments": [seg(A, "call 555 0100 % now", 0.0, 3.0)], "interpolated": 3},
)

case(
    "L15",
    "spec",
    "an untimed word at the very end takes its time from the previous word/segment",
    whisperx(
        [(0.0, 2.0, [("the", 0.0, 0.2), ("total", 0.3, 0.7), ("is", 0.8, 1.0), ("$5", None, None)])]
    ),
    turns((0.0, 2.2, B)),
    {"labels": [B] * 4, "segments": [seg(B, "the total is $5", 0.0, 2.0)], "interpolated": 1},
)

case(
    "L16",
    "spec",
    "OpenAI verbose_json, three segments, speaker alternation",
    openai(
        [
            (0.0, 2.0, run(0.0, "can you hear me")),
            (2.5, 4.0, run(2.5, "yes loud and clear")),
            (4.5, 6.0, run(4.5, "great let's begin")),
        ]
    ),
    turns((0.0, 2.2, A), (2.3, 4.3, B), (4.4, 6.5, A)),
    {
        "labels": [A] * 4 + [B] * 4 + [A] * 3,
        "segments": [
            seg(A, "can you hear me", 0.0, 2.0),
            seg(B, "yes loud and clear", 2.5, 4.0),
            seg(A, "great let's begin", 4.5, 6.0),
        ],
    },
)

case(
    "L17",
    "spec",
    "NeMo-style word and segment timestamps",
    nemo([(0.0, 1.6, run(0.0, "the build is green")), (2.0, 3.2, run(2.0, "ship it then"))]),
    turns((0.0, 1.8, B), (1.9, 3.5, A)),
    {
        "labels": [B] * 4 + [A] * 3,
        "segments": [seg(B, "the build is green", 0.0, 1.6), seg(A, "ship it then", 2.0, 3.2)],
    },
)

case(
    "L18",
    "spec",
    "words only: segments are runs of one speaker, not split at pauses",
    openai_words_only(
        run(0.0, "are we ready") + run(5.0, "almost there") + run(7.0, "okay good then")
    ),
    turns((0.0, 6.0, A), (6.5, 9.0, B)),
    {
        "labels": [A] * 5 + [B] * 3,
        "segments": [seg(A, "are we ready almost there"), seg(B, "okay good then")],
    },
)

case(
    "L19",
    "spec",
    "a lone word of another speaker at the end of the transcript gets no segment of its own",
    openai_words_only([*run(0.0, "that is all from me"), ("thanks", 2.1, 2.4)]),
    turns((0.0, 2.05, A), (2.05, 3.0, B)),
    {"segments": [seg(A, "that is all from me thanks")]},
    note="the lone word's own label is not checked (smoothing needs two neighbours)",
)

case(
    "L20",
    "spec",
    "a lone word of another speaker at the start of an ASR segment does not split it",
    whisperx([(0.0, 2.4, [("yes", 0.0, 0.2), *run(0.4, "and the next item is")])]),
    turns((0.0, 0.3, B), (0.3, 2.5, A)),
    {"segments": [seg(A, "yes and the next item is", 0.0, 2.4)]},
    note="first word of the whole transcript",
)

case(
    "L21",
    "spec",
    "segments without words are labelled by overlap like a word",
    {
        "format": "openai",
        "data": {
            "task": "transcribe",
            "language": "english",
            "duration": 6.0,
            "text": "hi there. hello.",
            "segments": [
                {"id": 0, "seek": 0, "start": 0.0, "end": 2.0, "text": " hi there."},
                {"id": 1, "seek": 0, "start": 2.5, "end": 6.0, "text": " hello."},
            ],
        },
    },
    turns((0.0, 2.3, A), (2.3, 3.0, A), (3.0, 6.0, B)),
    {"segments": [seg(A, "hi there.", 0.0, 2.0), seg(B, "hello.", 2.5, 6.0)]},
)

case(
    "L22",
    "spec",
    "speakers renamed in the request",
    whisperx([(0.0, 1.2, run(0.0, "hi bob there")), (1.5, 2.7, run(1.5, "hi alice too"))]),
    turns((0.0, 1.3, A), (1.4, 3.0, B)),
    {
        "labels": ["Alice"] * 3 + ["Bob"] * 3,
        "segments": [seg("Alice", "hi bob there", 0.0, 1.2), seg("Bob", "hi alice too", 1.5, 2.7)],
    },
    rename={A: "Alice", B: "Bob"},
)

# "now" 1.0-2.0 overlaps A 0.0-1.5 by 0.5 (turn mid 0.75) and B 1.5-2.2 by 0.5 (mid 1.85).
# Tie; the word's midpoint 1.5 is nearer B's -> B, although SPEAKER_00 sorts first.
case(
    "L23",
    "spec",
    "a tie is broken by time (nearest by midpoint), never by the alphabet",
    openai([(1.0, 2.0, [("now", 1.0, 2.0)])]),
    turns((0.0, 1.5, A), (1.5, 2.2, B)),
    {"labels": [B], "segments": [seg(B, "now", 1.0, 2.0)]},
)

case(
    "L24",
    "spec",
    "zero-length word inside a turn takes that turn",
    whisperx([(0.0, 5.0, [*run(0.2, "okay so"), ("uh", 3.0, 3.0), *run(3.5, "what next")])]),
    turns((0.0, 2.0, A), (2.0, 5.0, B)),
    {"labels": [A, A, B, B, B], "segments": [seg(A, "okay so"), seg(B, "uh what next")]},
)

case(
    "L25",
    "spec",
    "word at both edges touched, a small real overlap decides",
    openai([(2.0, 3.0, [("fine", 2.0, 3.0)])]),
    turns((0.0, 2.0, A), (2.9, 3.0, B), (3.0, 5.0, C)),
    {"labels": [B], "segments": [seg(B, "fine", 2.0, 3.0)]},
)

case(
    "L26",
    "spec",
    "three speakers across four WhisperX segments",
    whisperx(
        [
            (0.0, 1.6, run(0.0, "let's review the plan")),
            (2.0, 3.2, run(2.0, "I have concerns")),
            (3.5, 4.7, run(3.5, "me too honestly")),
            (5.0, 6.2, run(5.0, "okay go ahead")),
        ]
    ),
    turns((0.0, 1.8, A), (1.9, 3.3, B), (3.4, 4.8, C), (4.9, 6.5, A)),
    {
        "labels": [A] * 4 + [B] * 3 + [C] * 3 + [A] * 3,
        "segments": [
            seg(A, "let's review the plan", 0.0, 1.6),
            seg(B, "I have concerns", 2.0, 3.2),
            seg(C, "me too honestly", 3.5, 4.7),
            seg(A, "okay go ahead", 5.0, 6.2),
        ],
    },
)

case(
    "L27",
    "spec",
    "a turn fully inside a long word: overlap is the turn's length",
    openai([(0.0, 3.0, [("well", 0.0, 0.3), ("sooooo", 0.5, 2.5), ("yes", 2.6, 2.9)])]),
    turns((0.0, 0.4, A), (0.4, 0.9, A), (0.9, 2.2, B), (2.2, 3.0, B)),
    {"labels": [A, B, B], "segments": [seg(B, "well sooooo yes", 0.0, 3.0)]},
    note="A(1 word) then B(2 words): the lone first word does not split the segment (see L20)",
)

case(
    "L28",
    "spec",
    "split into three pieces: A A B B A A",
    nemo([(0.0, 2.4, run(0.0, "I said no you said yes"))]),
    turns((0.0, 0.75, A), (0.75, 1.55, B), (1.55, 2.5, A)),
    {
        "labels": [A, A, B, B, A, A],
        "segments": [seg(A, "I said"), seg(B, "no you"), seg(A, "said yes")],
    },
)

# CHOICE (found on running): 'more' lies wholly inside B's turn, kept as an interjection by the
# 80 % threshold; the segments are the same either way.
case(
    "L29",
    "choice",
    "smoothing first, then splitting: A A b A A B B B",
    whisperx([(0.0, 3.2, run(0.0, "we need more time ok fine then"))]),
    turns((0.0, 0.75, A), (0.75, 1.15, B), (1.15, 1.95, A), (1.95, 3.5, B)),
    {
        "labels": [A] * 5 + [B] * 2,
        "segments": [seg(A, "we need more time ok"), seg(B, "fine then")],
    },
    note="run(0.0): words at 0,0.4,...,2.4; 'more' at 0.8-1.1 is the one-word flip",
)

case(
    "L30",
    "spec",
    "a two-word run at the end of a segment splits it",
    openai([(0.0, 2.0, run(0.0, "send the report ok thanks"))]),
    turns((0.0, 1.15, A), (1.15, 2.2, B)),
    {"labels": [A, A, A, B, B], "segments": [seg(A, "send the report"), seg(B, "ok thanks")]},
)

case(
    "L31",
    "spec",
    "turns listed out of order give the same answer",
    openai([(0.0, 2.0, run(0.0, "can you hear me")), (2.5, 4.0, run(2.5, "yes loud and clear"))]),
    list(reversed(turns((0.0, 2.2, A), (2.3, 4.3, B)))),
    {
        "labels": [A] * 4 + [B] * 4,
        "segments": [seg(A, "can you hear me", 0.0, 2.0), seg(B, "yes loud and clear", 2.5, 4.0)],
    },
)

# ---------------------------------------------------- where §8 leaves a choice ---

case(
    "C01",
    "choice",
    "overlapping turns of one speaker: literal SUM (A 1.0) vs union (A 0.6 < B 0.7)",
    openai([(0.0, 1.0, [("word", 0.0, 1.0)])]),
    turns((0.0, 0.6, A), (0.2, 0.6, A), (0.3, 1.0, B)),
    {"labels": [A]},
    note="literal 'summed' gives A; union of A's turns would give B",
)

case(
    "C02",
    "choice",
    "a change run that continues into the next ASR segment",
    whisperx(
        [(0.0, 1.6, run(0.0, "this is my point")), (1.7, 3.0, run(1.7, "I disagree strongly"))]
    ),
    turns((0.0, 1.15, A), (1.15, 3.2, B)),
    {
        "labels": [A, A, A, B, B, B, B],
        "segments": [seg(A, "this is my point", 0.0, 1.6), seg(B, "I disagree strongly", 1.7, 3.0)],
    },
    note="'point' is one B word at the end of segment 1 but part of a 4-word B run overall; "
    "picks 'run counted within the segment' (no split)",
)

case(
    "C03",
    "choice",
    "untimed word between two speakers",
    whisperx(
        [(0.0, 3.0, [*run(0.0, "yes indeed"), ("100", None, None), *run(2.0, "percent sure")])]
    ),
    turns((0.0, 1.0, A), (1.9, 3.0, B)),
    {"interpolated": 1},
    note="only the count is forced",
)

case(
    "C04",
    "choice",
    "equidistant nearest turns (no overlap)",
    openai([(4.0, 5.0, [("hm", 4.0, 5.0)])]),
    turns((2.0, 3.0, B), (6.0, 7.0, A)),
    {"segments": [{"text": "hm"}]},
    note="either speaker; must not 500",
)

DUAL: list[Case] = []


def dual(
    cid: str,
    kind: str,
    rule: str,
    local: dict[str, Any],
    local_turns: list[dict[str, Any]],
    remote: dict[str, Any],
    remote_turns: list[dict[str, Any]],
    expect: dict[str, Any],
    note: str = "",
    **extra: Any,
) -> None:
    DUAL.append(
        {
            "id": cid,
            "kind": kind,
            "rule": rule,
            "local": {"asr": local, "turns": local_turns},
            "remote": {"asr": remote, "turns": remote_turns},
            "expect": expect,
            "note": note,
            **extra,
        }
    )


AL, BO, CA = "Alice", "Bob", "Carol"


def shifted(items: list[tuple[str, float, float]], dt: float) -> list[tuple[str, float, float]]:
    return [(w, round(s + dt, 3), round(e + dt, 3)) for w, s, e in items]


bob1 = run(2.5, "I can send the numbers tomorrow")  # 6 words, 2.5-4.8
dual(
    "D01",
    "spec",
    "plain alternation merged in time order",
    openai(
        [
            (0.0, 2.0, run(0.0, "when can you send them")),
            (5.5, 7.0, run(5.5, "tomorrow works fine")),
        ]
    ),
    turns((0.0, 8.0, AL)),
    openai([(2.5, 4.8, bob1)]),
    turns((2.4, 5.0, BO)),
    {
        "segments": [
            seg(AL, "when can you send them", 0.0, 2.0),
            seg(BO, "I can send the numbers tomorrow", 2.5, 4.8),
            seg(AL, "tomorrow works fine", 5.5, 7.0),
        ]
    },
)

dual(
    "D02",
    "spec",
    "local echo of a remote segment (same words, 30 ms late) is dropped",
    openai([(0.0, 2.0, run(0.0, "when can you send them")), (2.53, 4.83, shifted(bob1, 0.03))]),
    turns((0.0, 5.0, AL)),
    openai([(2.5, 4.8, bob1)]),
    turns((2.4, 5.0, BO)),
    {
        "segments": [
            seg(AL, "when can you send them", 0.0, 2.0),
            seg(BO, "I can send the numbers tomorrow", 2.5, 4.8),
        ]
    },
)

dual(
    "D03",
    "spec",
    "echo of three words is kept (both sides need >= 4 words)",
    openai(
        [
            (0.0, 2.0, run(0.0, "shall we stop here")),
            (2.53, 3.63, shifted(run(2.5, "yes let's stop"), 0.03)),
        ]
    ),
    turns((0.0, 4.0, AL)),
    openai([(2.5, 3.6, run(2.5, "yes let's stop"))]),
    turns((2.4, 4.0, BO)),
    {
        "segments": [
            seg(AL, "shall we stop here", 0.0, 2.0),
            seg(BO, "yes let's stop", 2.5, 3.6),
            seg(AL, "yes let's stop", 2.53, 3.63),
        ]
    },
)

dual(
    "D04",
    "spec",
    "echo of exactly four words is dropped (>= 4 on both sides)",
    openai([(2.53, 4.03, shifted(run(2.5, "see you next week"), 0.03))]),
    turns((0.0, 5.0, AL)),
    openai([(2.5, 4.0, run(2.5, "see you next week"))]),
    turns((2.4, 5.0, BO)),
    {"segments": [seg(BO, "see you next week", 2.5, 4.0)]},
)

five = run(1.0, "the meeting moves to friday")  # 1.0-2.9
dual(
    "D05",
    "spec",
    "word overlap exactly 80 % (4 of 5, one misheard) is dropped",
    openai(
        [
            (
                1.03,
                2.93,
                shifted(
                    [
                        ("the", 1.0, 1.3),
                        ("meeting", 1.4, 1.7),
                        ("moves", 1.8, 2.1),
                        ("to", 2.2, 2.5),
                        ("fried", 2.6, 2.9),
                    ],
                    0.03,
                ),
            )
        ]
    ),
    turns((0.0, 3.5, AL)),
    openai([(1.0, 2.9, five)]),
    turns((0.9, 3.2, BO)),
    {"segments": [seg(BO, "the meeting moves to friday", 1.0, 2.9)]},
)

dual(
    "D06",
    "spec",
    "word overlap 75 % (3 of 4) is kept",
    openai(
        [
            (
                1.03,
                2.53,
                shifted(
                    [
                        ("the", 1.0, 1.3),
                        ("meeting", 1.4, 1.7),
                        ("goes", 1.8, 2.1),
                        ("ahead", 2.2, 2.5),
                    ],
                    0.03,
                ),
            )
        ]
    ),
    turns((0.0, 3.5, AL)),
    openai(
        [
            (
                1.0,
                2.5,
                [("the", 1.0, 1.3), ("meeting", 1.4, 1.7), ("is", 1.8, 2.1), ("off", 2.2, 2.5)],
            )
        ]
    ),
    turns((0.9, 3.2, BO)),
    {
        "segments": [
            seg(BO, "the meeting is off", 1.0, 2.5),
            seg(AL, "the meeting goes ahead", 1.03, 2.53),
        ]
    },
)

# Local stretch 1.0-5.0 (4 s); remote speech only 1.0-2.9 inside it: 47.5 % < 50 %.
dual(
    "D07",
    "spec",
    "time overlap under 50 % is kept even when the words match",
    openai(
        [
            (
                1.0,
                5.0,
                [
                    ("the", 1.0, 1.3),
                    ("meeting", 3.0, 3.4),
                    ("moves", 3.5, 3.9),
                    ("to", 4.0, 4.3),
                    ("friday", 4.5, 5.0),
                ],
            )
        ]
    ),
    turns((0.0, 5.5, AL)),
    openai([(1.0, 2.9, five)]),
    turns((0.9, 3.2, BO)),
    {
        "segments": [
            seg(BO, "the meeting moves to friday", 1.0, 2.9),
            seg(AL, "the meeting moves to friday", 1.0, 5.0),
        ]
    },
)

# Remote 10.0-12.0 and 12.5-14.5 (0.5 s apart); local echo one segment 10.03-14.53.
r1 = run(10.0, "we should ship on friday")
r2 = run(12.5, "and then review on monday")
dual(
    "D08",
    "spec",
    "echo spanning two remote segments under 1 s apart is dropped (union of remote speech)",
    openai([(8.0, 9.5, run(8.0, "what is the plan")), (10.03, 14.53, shifted(r1 + r2, 0.03))]),
    turns((0.0, 15.0, AL)),
    openai([(10.0, 11.9, r1), (12.5, 14.4, r2)]),
    turns((9.9, 15.0, BO)),
    {
        "segments": [
            seg(AL, "what is the plan", 8.0, 9.5),
            seg(BO, "we should ship on friday", 10.0, 11.9),
            seg(BO, "and then review on monday", 12.5, 14.4),
        ]
    },
)

dual(
    "D09",
    "spec",
    "double talk with different words is kept",
    openai([(2.6, 4.6, run(2.6, "sorry go ahead please"))]),
    turns((0.0, 5.0, AL)),
    openai([(2.5, 4.8, bob1)]),
    turns((2.4, 5.0, BO)),
    {
        "segments": [
            seg(BO, "I can send the numbers tomorrow", 2.5, 4.8),
            seg(AL, "sorry go ahead please", 2.6, 4.6),
        ]
    },
)

dual(
    "D10",
    "spec",
    "a one-word local backchannel during remote speech is kept",
    openai([(3.0, 3.3, [("mhm", 3.0, 3.3)])]),
    turns((0.0, 5.0, AL)),
    openai([(2.5, 4.8, bob1)]),
    turns((2.4, 5.0, BO)),
    {"segments": [seg(BO, "I can send the numbers tomorrow", 2.5, 4.8), seg(AL, "mhm", 3.0, 3.3)]},
)

# CHOICE (found on running): the route labels each channel with its party's name (turns unused
# in dual mode); 'each channel transcribed, labelled' may also mean diarized per channel.
dual(
    "D11",
    "choice",
    "remote channel with two speakers keeps both labels",
    whisperx([(0.0, 1.6, run(0.0, "hello both of you"))]),
    turns((0.0, 2.0, AL)),
    whisperx([(2.0, 3.2, run(2.0, "hi alice here")), (3.5, 4.7, run(3.5, "and carol too"))]),
    turns((1.9, 3.3, BO), (3.4, 5.0, CA)),
    {
        "segments": [
            seg(AL, "hello both of you", 0.0, 1.6),
            seg(BO, "hi alice here", 2.0, 3.2),
            seg(CA, "and carol too", 3.5, 4.7),
        ]
    },
)

dual(
    "D12",
    "spec",
    "speakers renamed in a dual-channel request",
    whisperx([(0.0, 1.6, run(0.0, "hello both of you"))]),
    turns((0.0, 2.0, A)),
    whisperx([(2.0, 3.2, run(2.0, "hi alice here"))]),
    turns((1.9, 3.3, B)),
    {
        "segments": [
            seg("Alice", "hello both of you", 0.0, 1.6),
            seg("Bob", "hi alice here", 2.0, 3.2),
        ]
    },
    rename={A: "Alice", B: "Bob"},
    note="local turns say SPEAKER_00, remote SPEAKER_01",
)

# CHOICE (found on running): the code drops the echo PART of a local segment (split at the
# echo/own change, run of >= 2) and keeps 'but I need them today'; a segment-level reading keeps
# the whole segment (word overlap 6/11 < 80 %).
dual(
    "D13",
    "choice",
    "local segment half echo, half own words is kept",
    openai([(2.53, 7.0, shifted(bob1, 0.03) + run(5.0, "but I need them today"))]),
    turns((0.0, 7.0, AL)),
    openai([(2.5, 4.8, bob1)]),
    turns((2.4, 5.0, BO)),
    {
        "segments": [
            seg(BO, "I can send the numbers tomorrow", 2.5, 4.8),
            seg(AL, "I can send the numbers tomorrow but I need them today", 2.53, 7.0),
        ]
    },
    note="word overlap 6/11 < 80 %",
)

dual(
    "D14",
    "spec",
    "echo at 12 % bleed recognised in NeMo shape on the local side is dropped",
    nemo([(0.0, 1.5, run(0.0, "any other business")), (2.53, 4.83, shifted(bob1, 0.03))]),
    turns((0.0, 5.0, AL)),
    openai([(2.5, 4.8, bob1)]),
    turns((2.4, 5.0, BO)),
    {
        "segments": [
            seg(AL, "any other business", 0.0, 1.5),
            seg(BO, "I can send the numbers tomorrow", 2.5, 4.8),
        ]
    },
)

dual(
    "D15",
    "spec",
    "merged order is by time when local and remote overlap",
    openai([(0.0, 2.0, run(0.0, "let me finish this")), (4.0, 5.0, run(4.0, "right right"))]),
    turns((0.0, 6.0, AL)),
    openai([(1.8, 3.5, run(1.8, "sorry to interrupt you"))]),
    turns((1.7, 3.6, BO)),
    {
        "segments": [
            seg(AL, "let me finish this", 0.0, 2.0),
            seg(BO, "sorry to interrupt you", 1.8, 3.5),
            seg(AL, "right right", 4.0, 5.0),
        ]
    },
)

dual(
    "DC1",
    "choice",
    "echo with case and punctuation differences",
    openai(
        [
            (
                1.03,
                2.93,
                shifted(
                    [
                        ("The", 1.0, 1.3),
                        ("meeting", 1.4, 1.7),
                        ("moves", 1.8, 2.1),
                        ("to", 2.2, 2.5),
                        ("Friday.", 2.6, 2.9),
                    ],
                    0.03,
                ),
            )
        ]
    ),
    turns((0.0, 3.5, AL)),
    openai([(1.0, 2.9, five)]),
    turns((0.9, 3.2, BO)),
    {"segments": [seg(BO, "the meeting moves to friday", 1.0, 2.9)]},
    note="dropped if words are compared case- and punctuation-insensitively",
)


# ---- added after reading the code (so not independent of it; kept apart on purpose) ----

# "soon" 1.95-2.35 straddles A's turn end: B's short turn 2.0-2.3 covers 75 % of it.
case(
    "L32",
    "spec",
    "a one-word flip straddling a turn boundary is smoothed",
    whisperx(
        [
            (
                0.0,
                3.6,
                [
                    ("see", 0.2, 0.6),
                    ("you", 0.8, 1.4),
                    ("soon", 1.95, 2.35),
                    ("then", 2.5, 3.0),
                    ("bye", 3.1, 3.6),
                ],
            )
        ]
    ),
    turns((0.0, 2.0, A), (2.0, 2.3, B), (2.3, 5.0, A)),
    {"labels": [A] * 5, "segments": [seg(A, "see you soon then bye", 0.0, 3.6)]},
)

dual(
    "D16",
    "spec",
    "remote sent as words only: the echo is still dropped",
    openai([(0.0, 2.0, run(0.0, "when can you send them")), (2.53, 4.83, shifted(bob1, 0.03))]),
    turns((0.0, 5.0, AL)),
    openai_words_only(bob1),
    turns((2.4, 5.0, BO)),
    {
        "segments": [
            seg(AL, "when can you send them", 0.0, 2.0),
            seg(BO, "I can send the numbers tomorrow", 2.5, 4.8),
        ]
    },
)

dual(
    "D17",
    "spec",
    "echo split across two local segments: the 4-word part is dropped, the other kept whole",
    openai(
        [
            (0.0, 3.2, [("okay", 0.0, 0.3), ("so", 0.4, 0.7), *shifted(bob1[:2], 0.03)]),
            (3.33, 4.83, shifted(bob1[2:], 0.03)),
        ]
    ),
    turns((0.0, 5.0, AL)),
    openai([(2.5, 4.8, bob1)]),
    turns((2.4, 5.0, BO)),
    {
        "segments": [
            seg(AL, "okay so I can", 0.0, 3.2),
            seg(BO, "I can send the numbers tomorrow", 2.5, 4.8),
        ]
    },
    note="literal: segment 1 overlaps the remote for 0.7 of 3.2 s (< 50 %), so it stays",
)

case(
    "L33",
    "spec",
    "a one-word ASR segment of another speaker (inside that speaker's turn) is kept as theirs",
    openai(
        [
            (0.0, 1.2, run(0.0, "so what now")),
            (1.3, 1.6, [("yes", 1.3, 1.6)]),
            (1.8, 3.0, run(1.8, "we go on")),
        ]
    ),
    turns((0.0, 1.25, A), (1.25, 1.7, B), (1.7, 3.2, A)),
    {
        "segments": [
            seg(A, "so what now", 0.0, 1.2),
            seg(B, "yes", 1.3, 1.6),
            seg(A, "we go on", 1.8, 3.0),
        ]
    },
)

dual(
    "D18",
    "spec",
    "an untimed local word is placed, counted and kept",
    whisperx(
        [(0.0, 2.0, [("we", 0.0, 0.3), ("need", 0.4, 0.7), ("2", None, None), ("more", 1.2, 1.5)])]
    ),
    turns((0.0, 5.0, AL)),
    openai([(2.5, 4.8, bob1)]),
    turns((2.4, 5.0, BO)),
    {
        "segments": [
            seg(AL, "we need 2 more", 0.0, 2.0),
            seg(BO, "I can send the numbers tomorrow", 2.5, 4.8),
        ],
        "interpolated": 1,
    },
)
