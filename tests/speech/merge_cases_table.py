"""One merge case per rule and per edge of docs/AUDIO_API.md ("Merge"), posted to
``POST /api/speech/merge`` by ``test_merge_table.py``. Same format as
``merge_cases_holdout.py``; each case also names the ``rule`` it pins down."""

from __future__ import annotations

from typing import Any

from tests.speech.merge_cases import turn as _t
from tests.speech.merge_cases import word as _w


def _seg(start: float, end: float, *words: dict[str, Any], text: str | None = None) -> dict:
    return {
        "start": start,
        "end": end,
        "text": text if text is not None else " ".join(w["word"] for w in words),
        "words": list(words),
    }


CASES: list[dict[str, Any]] = [
    # Rule 1: the speaker whose turns cover most of the word.
    {
        "rule": "1 overlap",
        "name": "two short turns of one speaker outweigh one longer turn of another",
        "body": {
            "words": [_w("meanwhile", 1.0, 1.7)],
            "turns": [_t(0.0, 1.2, "A"), _t(1.2, 1.5, "B"), _t(1.5, 1.7, "A"), _t(1.7, 3, "C")],
        },
        "words": ["A"],
    },
    {
        "rule": "1 overlap",
        "name": "a word across a turn change goes to the side covering more of it",
        "body": {
            "words": [_w("one", 1.8, 2.4), _w("two", 2.6, 3.0)],
            "turns": [_t(0.0, 2.0, "A"), _t(2.0, 4.0, "B")],
        },
        "words": ["B", "B"],
    },
    {
        "rule": "1 touching",
        "name": "a turn ending exactly where the word starts does not count",
        "body": {
            "words": [_w("next", 1.0, 2.0)],
            "turns": [_t(0.0, 1.0, "A"), _t(1.5, 3.0, "B")],
        },
        "words": ["B"],
    },
    {
        "rule": "1 touching",
        "name": "a turn starting exactly where the word ends does not count",
        "body": {
            "words": [_w("last", 1.0, 2.0)],
            "turns": [_t(0.0, 1.2, "A"), _t(2.0, 3.0, "B")],
        },
        "words": ["A"],
    },
    {
        "rule": "1 overlapping turns",
        "name": "three copies of one turn count its time once",
        "body": {
            "words": [_w("indeed", 2.0, 3.0)],
            "turns": [_t(1.0, 2.6, "A"), _t(1.5, 2.6, "A"), _t(1.0, 2.6, "A"), _t(2.3, 3.0, "B")],
        },
        "words": ["B"],
    },
    {
        "rule": "1 overlapping turns",
        "name": "duplicated turns do not outweigh a speaker who covers more",
        "body": {
            "words": [_w("right", 1.0, 2.0)],
            "turns": [_t(0.4, 1.4, "A"), _t(0.4, 1.4, "A"), _t(1.4, 2.2, "B")],
        },
        "words": ["B"],
    },
    {
        "rule": "1 zero-length",
        "name": "a zero-length word strictly inside a turn takes it",
        "body": {
            "words": [_w("%", 3.0, 3.0)],
            "turns": [_t(0.0, 3.4, "A"), _t(3.6, 3.8, "B")],
        },
        "words": ["A"],
    },
    {
        "rule": "1 zero-length",
        "name": "a zero-length word on a turn's edge only touches it",
        "body": {
            "words": [_w("&", 4.0, 4.0)],
            "turns": [_t(0.0, 4.0, "A"), _t(4.5, 5.0, "B")],
        },
        "words": ["B"],
    },
    {
        "rule": "1 zero-length",
        "name": "a zero-length word inside one speaker's two touching turns stays theirs",
        "body": {
            "words": [_w("-", 2.0, 2.0)],
            "turns": [_t(0.0, 2.0, "A"), _t(2.0, 2.4, "A"), _t(2.4, 2.6, "B")],
        },
        "words": ["A"],
    },
    # Rule 2: nearest turn by midpoint when none covers the word.
    {
        "rule": "2 nearest",
        "name": "in a gap, the turn whose midpoint is nearest (not the nearest edge)",
        "body": {
            "words": [_w("so", 3.0, 3.2)],
            "turns": [_t(0.0, 2.9, "A"), _t(3.5, 3.9, "B")],
        },
        "words": ["B"],
    },
    {
        "rule": "2 nearest",
        "name": "before every turn: nearest midpoint, even of a later turn",
        "body": {
            "words": [_w("well", 0.5, 0.8)],
            "turns": [_t(2.0, 10.0, "A"), _t(1.0, 1.6, "B")],
        },
        "words": ["B"],
    },
    {
        "rule": "2 nearest",
        "name": "after every turn: nearest midpoint, not the turn that ended last",
        "body": {
            "words": [_w("bye", 20.0, 20.3)],
            "turns": [_t(0.0, 19.0, "A"), _t(15.0, 16.0, "B")],
        },
        "words": ["B"],
    },
    # Rule 3: ties by time, never by the label.
    {
        "rule": "3 ties",
        "name": "equal cover: the speaker whose turn's midpoint is nearest the word's",
        "body": {
            "words": [_w("okay", 1.0, 2.0)],
            "turns": [_t(0.5, 1.5, "Zed"), _t(1.5, 4.0, "Amy")],
        },
        "words": ["Zed"],
    },
    {
        "rule": "3 ties",
        "name": "both cover the whole word: the turn centred on it wins",
        "body": {
            "words": [_w("yes", 1.2, 1.8)],
            "turns": [_t(0.0, 2.5, "A"), _t(1.1, 1.9, "B")],
        },
        "words": ["B"],
    },
    {
        "rule": "3 ties",
        "name": "equally near by midpoint: the nearer edge",
        "body": {
            "words": [_w("hm", 2.0, 2.2)],
            "turns": [_t(0.0, 1.7, "Zed"), _t(2.9, 3.8, "Amy")],
        },
        "words": ["Zed"],
    },
    # Rule 4: one-word flips.
    {
        "rule": "4 smoothing",
        "name": "a flip covered 60 % by its own speaker is smoothed",
        "body": {
            "segments": [
                _seg(
                    0.5,
                    2.5,
                    _w("we", 0.5, 0.9),
                    _w("can", 1.0, 1.5),
                    _w("go", 1.6, 2.0),
                    _w("now", 2.1, 2.5),
                )
            ],
            "turns": [_t(0.0, 1.05, "A"), _t(1.05, 1.35, "B"), _t(1.35, 3.0, "A")],
        },
        "words": ["A", "A", "A", "A"],
        "segments": [["A", "we can go now"]],
    },
    {
        "rule": "4 smoothing",
        "name": "a flip covered 75 % (under the 80 % threshold) is smoothed",
        "body": {
            "words": [_w("a", 0.0, 0.4), _w("b", 0.5, 0.9), _w("c", 1.0, 1.4)],
            "turns": [_t(0.0, 0.6, "A"), _t(0.6, 0.9, "B"), _t(0.9, 2.0, "A")],
        },
        "words": ["A", "A", "A"],
    },
    {
        "rule": "4 smoothing",
        "name": "a flip covered 80 % stays: a real interjection",
        "body": {
            "words": [_w("a", 0.0, 0.4), _w("yes", 0.5, 1.0), _w("c", 1.1, 1.4)],
            "turns": [_t(0.0, 0.6, "A"), _t(0.6, 1.0, "B"), _t(1.0, 2.0, "A")],
        },
        "words": ["A", "B", "A"],
        "segments": [["A", "a yes c"]],
    },
    {
        "rule": "4 smoothing",
        "name": "a word in a gap nearest another speaker, between two of one, is smoothed",
        "body": {
            "words": [_w("a", 0.0, 0.4), _w("b", 1.0, 1.2), _w("c", 1.9, 2.2)],
            "turns": [_t(0.0, 0.5, "A"), _t(1.2, 1.3, "B"), _t(1.8, 2.5, "A")],
        },
        "words": ["A", "A", "A"],
    },
    {
        "rule": "4 smoothing",
        "name": "the first and last words have one neighbour: never smoothed",
        "body": {
            "words": [_w("oh", 0.0, 0.3), _w("b", 0.5, 0.9), _w("c", 1.0, 1.4), _w("ok", 1.6, 1.9)],
            "turns": [_t(0.0, 0.4, "B"), _t(0.4, 1.5, "A"), _t(1.5, 2.0, "B")],
        },
        "words": ["B", "A", "A", "B"],
        "segments": [["A", "oh b c ok"]],
    },
    # Missing timestamps.
    {
        "rule": "timestamps",
        "name": "whisperx word_segments only: an untimed word takes the gap",
        "body": {
            "word_segments": [_w("pay", 0.0, 0.4), _w("$5"), _w("now", 1.0, 1.4)],
            "turns": [_t(0.0, 2.0, "A")],
        },
        "words": ["A", "A", "A"],
        "word_times": {1: [0.4, 1.0]},
        "interpolated": 1,
    },
    {
        "rule": "timestamps",
        "name": "several untimed words share the gap evenly",
        "body": {
            "segments": [
                _seg(0.0, 2.0, _w("call", 0.0, 0.4), _w("555"), _w("0100"), _w("today", 1.6, 2.0))
            ],
            "turns": [_t(0.0, 2.0, "A")],
        },
        "word_times": {1: [0.4, 1.0], 2: [1.0, 1.6]},
        "interpolated": 2,
    },
    {
        "rule": "timestamps",
        "name": "a segment of untimed words spreads them over the segment",
        "body": {
            "segments": [_seg(2.0, 3.0, _w("1"), _w("2"))],
            "turns": [_t(1.0, 4.0, "A")],
        },
        "word_times": {0: [2.0, 2.5], 1: [2.5, 3.0]},
        "interpolated": 2,
        "segments": [["A", "1 2"]],
    },
    {
        "rule": "timestamps",
        "name": "an untimed word takes a speaker by its placed time",
        "body": {
            "segments": [
                _seg(0.0, 1.0, _w("it", 0.0, 0.3), _w("is", 0.4, 0.6), _w("10")),
                _seg(2.0, 3.0, _w("20"), _w("is", 2.5, 2.7), _w("more", 2.8, 3.0)),
            ],
            "turns": [_t(0.0, 1.5, "A"), _t(1.5, 3.5, "B")],
        },
        "words": ["A", "A", "A", "B", "B", "B"],
        "word_times": {2: [0.6, 1.0], 3: [2.0, 2.5]},
        "interpolated": 2,
    },
    {
        "rule": "timestamps",
        "name": "verbose_json words with an untimed word are matched to the right segment",
        "body": {
            "words": [_w("one", 0.0, 0.4), _w("2"), _w("three", 3.0, 3.4), _w("four", 3.5, 3.9)],
            "segments": [
                {"start": 0.0, "end": 1.0, "text": "one 2"},
                {"start": 3.0, "end": 3.9, "text": "three four"},
            ],
            "turns": [_t(0.0, 1.0, "A"), _t(2.9, 4.0, "B")],
        },
        "words": ["A", "A", "B", "B"],
        "segments": [["A", "one 2"], ["B", "three four"]],
        "word_times": {1: [0.4, 1.0]},
        "interpolated": 1,
    },
    {
        "rule": "timestamps",
        "name": "an untimed first word without segments sits at its neighbour's start",
        "body": {
            "words": [_w("Uh"), _w("hello", 0.5, 0.8), _w("all", 0.9, 1.2)],
            "turns": [_t(0.4, 1.3, "A")],
        },
        "words": ["A", "A", "A"],
        "word_times": {0: [0.5, 0.5]},
        "interpolated": 1,
    },
    {
        "rule": "timestamps",
        "name": "a word with only a start is placed at that instant",
        "body": {
            "words": [_w("a", 0.0, 0.4), {"word": "b", "start": 0.6}, _w("c", 0.8, 1.0)],
            "turns": [_t(0.0, 1.0, "A")],
        },
        "word_times": {1: [0.6, 0.6]},
        "interpolated": 1,
    },
    {
        "rule": "timestamps",
        "name": "no timestamps anywhere is refused",
        "body": {"words": [_w("hello"), _w("there")], "turns": [_t(0.0, 1.0, "A")]},
        "status": "4xx",
    },
    # Rule 5: segments.
    {
        "rule": "5 split",
        "name": "split where the speaker changes for two words",
        "body": {
            "segments": [
                _seg(
                    0.0,
                    2.0,
                    _w("are", 0.0, 0.3),
                    _w("we", 0.4, 0.6),
                    _w("done", 0.7, 1.0),
                    _w("yes", 1.2, 1.5),
                    _w("done", 1.6, 2.0),
                    text="Are we done? Yes, done.",
                )
            ],
            "turns": [_t(0.0, 1.1, "A"), _t(1.1, 2.1, "B")],
        },
        "segments": [["A", "Are we done?"], ["B", "Yes, done."]],
        "segment_times": [[0.0, 1.0], [1.2, 2.0]],
    },
    {
        "rule": "5 split",
        "name": "a split keeps the words' text when the segment's text does not line up",
        "body": {
            "segments": [
                _seg(
                    0.0,
                    2.0,
                    _w("ok", 0.0, 0.3),
                    _w("so", 0.4, 0.6),
                    _w("no", 1.2, 1.5),
                    _w("way", 1.6, 2.0),
                    text="Okay so, no way!",
                )
            ],
            "turns": [_t(0.0, 1.1, "A"), _t(1.1, 2.1, "B")],
        },
        "segments": [["A", "ok so"], ["B", "no way"]],
    },
    {
        "rule": "5 split",
        "name": "three runs, three pieces",
        "body": {
            "words": [_w(x, 0.5 * i, 0.5 * i + 0.4) for i, x in enumerate("abcdef")],
            "turns": [_t(0.0, 0.95, "A"), _t(0.95, 1.95, "B"), _t(1.95, 3.0, "A")],
        },
        "segments": [["A", "a b"], ["B", "c d"], ["A", "e f"]],
    },
    {
        "rule": "5 split",
        "name": "a lone word between two runs stays with the run before it",
        "body": {
            "words": [_w(x, 0.5 * i, 0.5 * i + 0.4) for i, x in enumerate("abcde")],
            "turns": [_t(0.0, 0.95, "A"), _t(0.95, 1.45, "B"), _t(1.45, 3.0, "C")],
        },
        "words": ["A", "A", "B", "C", "C"],
        "segments": [["A", "a b c"], ["C", "d e"]],
    },
    {
        "rule": "5 pause",
        "name": "a long pause inside one ASR segment does not split it",
        "body": {
            "segments": [_seg(0.0, 9.0, _w("wait", 0.0, 0.4), _w("okay", 8.5, 9.0))],
            "turns": [_t(0.0, 9.0, "A")],
        },
        "segments": [["A", "wait okay"]],
    },
    {
        "rule": "5 pause",
        "name": "words without segments are not split at a pause either",
        "body": {
            "words": [_w("wait", 0.0, 0.4), _w("okay", 8.5, 9.0)],
            "turns": [_t(0.0, 9.0, "A")],
        },
        "segments": [["A", "wait okay"]],
    },
    {
        "rule": "5 join",
        "name": "ASR segments of one speaker are never joined",
        "body": {
            "segments": [_seg(0.0, 0.5, _w("hi", 0.0, 0.5)), _seg(0.5, 1.0, _w("all", 0.5, 1.0))],
            "turns": [_t(0.0, 1.0, "A")],
        },
        "segments": [["A", "hi"], ["A", "all"]],
    },
    {
        "rule": "5 edges",
        "name": "a lone word at the transcript's start joins the run after it",
        "body": {
            "words": [_w("so", 0.0, 0.3), _w("we", 0.5, 0.7), _w("go", 0.8, 1.0)],
            "turns": [_t(0.0, 0.4, "B"), _t(0.4, 1.2, "A")],
        },
        "words": ["B", "A", "A"],
        "segments": [["A", "so we go"]],
    },
    {
        "rule": "5 edges",
        "name": "a lone word at the transcript's end joins the run before it",
        "body": {
            "words": [_w("we", 0.0, 0.3), _w("go", 0.4, 0.7), _w("ok", 0.9, 1.1)],
            "turns": [_t(0.0, 0.8, "A"), _t(0.8, 1.2, "B")],
        },
        "words": ["A", "A", "B"],
        "segments": [["A", "we go ok"]],
    },
    {
        "rule": "5 edges",
        "name": "a run crossing into the next segment splits the segment it starts in",
        "body": {
            "segments": [
                _seg(0.0, 1.9, _w("we", 0.0, 0.3), _w("ship", 0.4, 0.7), _w("sure", 1.6, 1.9)),
                _seg(2.0, 2.6, _w("thing", 2.0, 2.3), _w("boss", 2.4, 2.6)),
            ],
            "turns": [_t(0.0, 1.2, "A"), _t(1.2, 3.0, "B")],
        },
        "segments": [["A", "we ship"], ["B", "sure"], ["B", "thing boss"]],
        "segment_times": [[0.0, 0.7], [1.6, 1.9], [2.0, 2.6]],
    },
    {
        "rule": "5 segment speaker",
        "name": "a one-word ASR segment keeps its word's speaker",
        "body": {
            "segments": [
                _seg(0.0, 1.0, _w("is", 0.0, 0.3), _w("it", 0.4, 0.6), _w("done", 0.7, 1.0)),
                _seg(1.2, 1.5, _w("yes", 1.2, 1.5)),
                _seg(1.7, 2.7, _w("then", 1.7, 2.0), _w("we", 2.1, 2.3), _w("go", 2.4, 2.7)),
            ],
            "turns": [_t(0.0, 1.1, "A"), _t(1.1, 1.6, "B"), _t(1.6, 3.0, "A")],
        },
        "words": ["A", "A", "A", "B", "A", "A", "A"],
        "segments": [["A", "is it done"], ["B", "yes"], ["A", "then we go"]],
    },
    {
        "rule": "5 wordless",
        "name": "a segment without words is kept, labelled by cover",
        "body": {
            "segments": [
                _seg(0.0, 1.0, _w("play", 0.0, 0.4), _w("it", 0.5, 1.0)),
                {"start": 1.5, "end": 4.0, "text": "[music]", "words": []},
            ],
            "turns": [_t(0.0, 1.2, "A"), _t(1.4, 2.0, "A"), _t(2.0, 4.0, "B")],
        },
        "segments": [["A", "play it"], ["B", "[music]"]],
        "segment_times": [[0.0, 1.0], [1.5, 4.0]],
    },
    {
        "rule": "5 wordless",
        "name": "a wordless verbose_json segment between worded ones is kept",
        "body": {
            "words": [_w("hi", 0.0, 0.4), _w("bye", 5.0, 5.4)],
            "segments": [
                {"start": 0.0, "end": 0.4, "text": "hi"},
                {"start": 2.0, "end": 3.0, "text": "(laughs)"},
                {"start": 5.0, "end": 5.4, "text": "bye"},
            ],
            "turns": [_t(0.0, 0.5, "A"), _t(2.2, 2.6, "B"), _t(5.0, 5.5, "A")],
        },
        "segments": [["A", "hi"], ["B", "(laughs)"], ["A", "bye"]],
    },
    {
        "rule": "shapes",
        "name": "NeMo word and segment stamps",
        "body": {
            "timestamps": {
                "word": [
                    {"word": "hi", "start": 0.1, "end": 0.3, "start_offset": 1, "end_offset": 3},
                    {"word": "there", "start": 0.4, "end": 0.7},
                    {"word": "hey", "start": 1.5, "end": 1.8},
                    {"word": "you", "start": 1.9, "end": 2.2},
                ],
                "segment": [
                    {"segment": "hi there", "start": 0.1, "end": 0.7},
                    {"segment": "hey you", "start": 1.5, "end": 2.2},
                ],
            },
            "turns": [{"start": 0.0, "end": 1.0, "label": "spk_0"}, _t(1.2, 2.5, "spk_1")],
        },
        "segments": [["spk_0", "hi there"], ["spk_1", "hey you"]],
    },
    {
        "rule": "names",
        "name": "a list of names follows the order of first speech",
        "body": {
            "words": [_w("a", 0.0, 0.3), _w("b", 0.4, 0.7), _w("c", 1.0, 1.3), _w("d", 1.4, 1.7)],
            "turns": [_t(0.9, 2.0, "SPEAKER_00"), _t(0.0, 0.8, "SPEAKER_01")],
            "speaker_names": ["Alice", "Bob"],
        },
        "words": ["Alice", "Alice", "Bob", "Bob"],
    },
    # Refused input.
    {
        "rule": "errors",
        "name": "a turn ending before it starts",
        "body": {"words": [_w("a", 0.0, 0.3)], "turns": [_t(2.0, 1.0, "A")]},
        "status": "4xx",
    },
    {
        "rule": "errors",
        "name": "a word ending before it starts",
        "body": {"words": [_w("a", 0.5, 0.3)], "turns": [_t(0.0, 1.0, "A")]},
        "status": "4xx",
    },
    {
        "rule": "errors",
        "name": "nothing to merge",
        "body": {"turns": [_t(0.0, 1.0, "A")]},
        "status": "4xx",
    },
    {
        "rule": "errors",
        "name": "a time that is not a number",
        "body": {"words": [{"word": "a", "start": "soon", "end": 1}], "turns": [_t(0, 1, "A")]},
        "status": "4xx",
    },
    # Dual channel.
    {
        "rule": "dual bleed",
        "name": "the echo the ASR put in one segment with the local sentence is dropped",
        "body": {
            "words": [
                _w("hello", 0.3, 0.6),
                _w("bob", 0.72, 1.02),
                _w("it", 1.14, 1.44),
                _w("is", 1.56, 1.86),
                _w("ready", 1.98, 2.28),
                _w("great", 2.83, 3.13),
                _w("please", 3.25, 3.55),
                _w("share", 3.67, 3.97),
                _w("the", 4.47, 4.77),
                _w("report", 4.89, 5.19),
            ],
            "segments": [
                {
                    "start": 0.3,
                    "end": 5.19,
                    "text": "hello bob it is ready great please share the report",
                }
            ],
            "remote": {
                "words": [
                    _w("great", 2.8, 3.1),
                    _w("please", 3.22, 3.52),
                    _w("share", 3.64, 3.94),
                    _w("the", 4.44, 4.74),
                    _w("report", 4.86, 5.16),
                ],
                "segments": [
                    {"start": 2.8, "end": 3.94, "text": "great please share"},
                    {"start": 4.44, "end": 5.16, "text": "the report"},
                ],
            },
            "local_speaker": "Alice",
            "remote_speaker": "Bob",
        },
        "segments": [
            ["Alice", "hello bob it is ready"],
            ["Bob", "great please share"],
            ["Bob", "the report"],
        ],
        "dropped": ["great please share the report"],
    },
    {
        "rule": "dual bleed",
        "name": "local words without segments are grouped at pauses, then judged",
        "body": {
            "words": [
                _w(x, 10.03 + 0.5 * i, 10.33 + 0.5 * i)
                for i, x in enumerate(["okay", "the", "report", "is", "done"])
            ],
            "remote": {
                "words": [
                    _w(x, 10.0 + 0.5 * i, 10.3 + 0.5 * i)
                    for i, x in enumerate(["okay", "the", "report", "is", "done"])
                ],
            },
        },
        "segments": [["remote", "okay the report is done"]],
        "dropped": ["okay the report is done"],
    },
    {
        "rule": "dual bleed",
        "name": "exactly half the local segment overlapping is enough",
        "body": {
            "segments": [{"start": 10.0, "end": 14.0, "text": "we can ship it friday"}],
            "remote": {"segments": [{"start": 8.0, "end": 12.0, "text": "we can ship it friday"}]},
        },
        "segments": [["remote", "we can ship it friday"]],
        "dropped": ["we can ship it friday"],
    },
    {
        "rule": "dual bleed",
        "name": "four words on both sides are enough",
        "body": {
            "segments": [{"start": 1.0, "end": 3.0, "text": "see you at ten"}],
            "remote": {"segments": [{"start": 1.0, "end": 3.0, "text": "see you at ten"}]},
        },
        "segments": [["remote", "see you at ten"]],
        "dropped": ["see you at ten"],
    },
    {
        "rule": "dual bleed",
        "name": "overlapping remote segments count their shared time once",
        "body": {
            "segments": [{"start": 0.0, "end": 10.0, "text": "one two three four five"}],
            "remote": {
                "segments": [
                    {"start": 0.0, "end": 3.0, "text": "one two three four five"},
                    {"start": 1.0, "end": 4.0, "text": "six"},
                ]
            },
        },
        "dropped": [],
    },
    {
        "rule": "dual bleed",
        "name": "a local word the remote said at another time is not an echo",
        "body": {
            "words": [
                _w("yes", 0.0, 0.3),
                _w("the", 0.4, 0.6),
                _w("plan", 0.7, 1.0),
                _w("is", 1.1, 1.3),
                _w("good", 1.4, 1.8),
            ],
            "segments": [{"start": 0.0, "end": 1.8, "text": "yes the plan is good"}],
            "remote": {
                "words": [
                    _w("the", 5.0, 5.2),
                    _w("plan", 5.3, 5.6),
                    _w("is", 5.7, 5.9),
                    _w("good", 6.0, 6.3),
                ],
                "segments": [{"start": 5.0, "end": 6.3, "text": "the plan is good"}],
            },
        },
        "dropped": [],
    },
    {
        "rule": "dual",
        "name": "remote words without segments are grouped at pauses",
        "body": {
            "segments": [{"start": 0.0, "end": 0.5, "text": "hi"}],
            "remote": {"words": [_w("hey", 1.0, 1.3), _w("there", 1.4, 1.8), _w("so", 5.0, 5.2)]},
        },
        "segments": [["local", "hi"], ["remote", "hey there"], ["remote", "so"]],
    },
    {
        "rule": "dual",
        "name": "a remote party who said nothing leaves the local speech as it is",
        "body": {
            "segments": [{"start": 0.0, "end": 1.0, "text": "anyone there"}],
            "remote": {"words": [], "segments": []},
        },
        "segments": [["local", "anyone there"]],
        "dropped": [],
    },
    {
        "rule": "dual",
        "name": "neither party said anything",
        "body": {"words": [], "remote": {"segments": []}},
        "status": "4xx",
    },
    {
        "rule": "dual",
        "name": "the two parties need different names",
        "body": {
            "segments": [{"start": 0.0, "end": 0.5, "text": "hi"}],
            "remote": {"segments": [{"start": 1.0, "end": 1.5, "text": "hey"}]},
            "local_speaker": "Alice",
            "remote_speaker": "Alice",
        },
        "status": "4xx",
    },
]
