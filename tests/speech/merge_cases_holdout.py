"""Held-out cases for ``POST /api/speech/merge``, written from SPEC §8 and issue 22 before
the merge was changed, and never tuned against: the code is changed until the table in
``merge_cases_table.py`` passes; this slice is only run to see how well that holds on cases
nobody looked at while changing the code (``tests/speech/run_merge_cases.py``).

Every case: ``body`` (the request), and what must come back: ``words`` (the speaker of
each word, in time order), ``segments`` ([speaker, text] in order), optionally
``segment_times``, ``word_times`` ({index: [start, end]}), ``interpolated`` and, for
dual channel, ``dropped`` (the texts of the dropped local segments); ``status`` "4xx" for a case
that must be refused.
"""

from __future__ import annotations

from typing import Any

from tests.speech.merge_cases import turn as _t
from tests.speech.merge_cases import word as _w

CASES: list[dict[str, Any]] = [
    {
        "name": "whisperx segments with nested words, two speakers",
        "body": {
            "segments": [
                {
                    "start": 0.0,
                    "end": 2.0,
                    "text": " Hello there, Bob.",
                    "words": [
                        {"word": "Hello", "start": 0.0, "end": 0.4, "score": 0.91},
                        {"word": "there,", "start": 0.5, "end": 0.9, "score": 0.88},
                        {"word": "Bob.", "start": 1.0, "end": 1.6, "score": 0.95},
                    ],
                },
                {
                    "start": 2.5,
                    "end": 4.0,
                    "text": " Hi Alice.",
                    "words": [
                        {"word": "Hi", "start": 2.5, "end": 2.9, "score": 0.9},
                        {"word": "Alice.", "start": 3.0, "end": 3.8, "score": 0.97},
                    ],
                },
            ],
            "turns": [_t(0.0, 2.1, "SPEAKER_00"), _t(2.3, 4.2, "SPEAKER_01")],
        },
        "words": ["SPEAKER_00"] * 3 + ["SPEAKER_01"] * 2,
        "segments": [["SPEAKER_00", "Hello there, Bob."], ["SPEAKER_01", "Hi Alice."]],
        "segment_times": [[0.0, 2.0], [2.5, 4.0]],
        "interpolated": 0,
    },
    {
        "name": "whisperx number without timestamps takes the gap between its neighbours",
        "body": {
            "segments": [
                {
                    "start": 0.0,
                    "end": 3.0,
                    "text": " It costs 25 dollars.",
                    "words": [
                        _w("It", 0.0, 0.3),
                        _w("costs", 0.4, 0.8),
                        _w("25"),
                        _w("dollars.", 1.5, 2.0),
                    ],
                }
            ],
            "turns": [_t(0.0, 3.2, "A")],
        },
        "words": ["A"] * 4,
        "segments": [["A", "It costs 25 dollars."]],
        "word_times": {2: [0.8, 1.5]},
        "interpolated": 1,
    },
    {
        "name": "untimed words at a segment's end and start take the segment's edge",
        "body": {
            "segments": [
                {
                    "start": 0.0,
                    "end": 1.9,
                    "text": "the total is 40",
                    "words": [
                        _w("the", 0.0, 0.3),
                        _w("total", 0.4, 0.8),
                        _w("is", 0.9, 1.2),
                        _w("40"),
                    ],
                },
                {
                    "start": 2.1,
                    "end": 3.9,
                    "text": "50 is better",
                    "words": [_w("50"), _w("is", 2.4, 2.7), _w("better", 2.8, 3.9)],
                },
            ],
            "turns": [_t(0.0, 2.0, "A"), _t(2.0, 4.0, "B")],
        },
        "words": ["A"] * 4 + ["B"] * 3,
        "segments": [["A", "the total is 40"], ["B", "50 is better"]],
        "word_times": {3: [1.2, 1.9], 4: [2.1, 2.4]},
        "interpolated": 2,
    },
    {
        "name": "openai verbose_json: top-level words, segments keep their own text",
        "body": {
            "task": "transcribe",
            "language": "english",
            "duration": 6.0,
            "text": "Hello team, the budget is ready. Thanks, send it over.",
            "words": [
                _w("Hello", 0.3, 0.6),
                _w("team", 0.7, 1.0),
                _w("the", 1.2, 1.4),
                _w("budget", 1.5, 1.9),
                _w("is", 2.0, 2.2),
                _w("ready", 2.3, 2.7),
                _w("Thanks", 3.5, 3.8),
                _w("send", 4.0, 4.3),
                _w("it", 4.4, 4.5),
                _w("over", 4.6, 5.0),
            ],
            "segments": [
                {
                    "id": 0,
                    "seek": 0,
                    "start": 0.3,
                    "end": 2.7,
                    "text": " Hello team, the budget is ready.",
                    "temperature": 0.0,
                    "avg_logprob": -0.2,
                },
                {
                    "id": 1,
                    "seek": 0,
                    "start": 3.5,
                    "end": 5.0,
                    "text": " Thanks, send it over.",
                },
            ],
            "turns": [_t(0.2, 2.9, "A"), _t(3.3, 5.2, "B")],
        },
        "words": ["A"] * 6 + ["B"] * 4,
        "segments": [["A", "Hello team, the budget is ready."], ["B", "Thanks, send it over."]],
        "segment_times": [[0.3, 2.7], [3.5, 5.0]],
    },
    {
        "name": "nemo word and segment timestamps",
        "body": {
            "text": "good morning everyone morning",
            "timestamps": {
                "word": [
                    {"word": "good", "start": 0.24, "end": 0.48, "start_offset": 3},
                    {"word": "morning", "start": 0.56, "end": 0.96, "start_offset": 7},
                    {"word": "everyone", "start": 1.04, "end": 1.6, "start_offset": 13},
                    {"word": "morning", "start": 2.4, "end": 2.88, "start_offset": 30},
                ],
                "segment": [
                    {"segment": "good morning everyone", "start": 0.24, "end": 1.6},
                    {"segment": "morning", "start": 2.4, "end": 2.88},
                ],
            },
            "turns": [_t(0.1, 1.8, "spk_0"), _t(2.2, 3.0, "spk_1")],
        },
        "words": ["spk_0"] * 3 + ["spk_1"],
        "segments": [["spk_0", "good morning everyone"], ["spk_1", "morning"]],
    },
    {
        "name": "a zero-length word inside a turn belongs to that turn",
        "body": {
            "words": [_w("a", 4.8, 4.8)],
            "turns": [_t(0.0, 5.0, "A"), _t(5.5, 6.0, "B")],
        },
        "words": ["A"],
        "segments": [["A", "a"]],
    },
    {
        "name": "a zero-length word on a turn change only touches both: nearest by midpoint",
        "body": {
            "words": [_w("uh", 2.0, 2.0)],
            "turns": [_t(0.0, 2.0, "A"), _t(2.0, 3.0, "B")],
        },
        "words": ["B"],
        "segments": [["B", "uh"]],
    },
    {
        "name": "turns touching both edges of a word do not count; nearest by midpoint",
        "body": {
            "words": [_w("well", 1.0, 2.0)],
            "turns": [_t(0.0, 1.0, "A"), _t(2.0, 2.2, "B")],
        },
        "words": ["B"],
        "segments": [["B", "well"]],
    },
    {
        "name": "no overlap: the turn whose midpoint is nearest, not the nearest edge",
        "body": {
            "words": [_w("so", 5.0, 5.2)],
            "turns": [_t(0.0, 4.9, "A"), _t(5.6, 6.0, "B")],
        },
        "words": ["B"],
        "segments": [["B", "so"]],
    },
    {
        "name": "overlap is summed over one speaker's turns",
        "body": {
            "words": [_w("overall", 1.0, 2.0)],
            "turns": [_t(0.8, 1.3, "A"), _t(1.3, 1.7, "B"), _t(1.7, 2.5, "A")],
        },
        "words": ["A"],
        "segments": [["A", "overall"]],
    },
    {
        "name": "overlapping turns of one speaker are not counted twice",
        "body": {
            "words": [_w("right", 1.0, 2.0)],
            "turns": [_t(0.5, 1.5, "A"), _t(0.6, 1.5, "A"), _t(1.3, 2.0, "B")],
        },
        "words": ["B"],
        "segments": [["B", "right"]],
    },
    {
        "name": "equal overlap: the speaker whose turn is nearest in time, not the alphabet",
        "body": {
            "words": [_w("okay", 1.0, 2.0)],
            "turns": [_t(1.5, 3.5, "SPEAKER_00"), _t(0.9, 1.5, "SPEAKER_01")],
        },
        "words": ["SPEAKER_01"],
        "segments": [["SPEAKER_01", "okay"]],
    },
    {
        "name": "equally near by midpoint: who spoke nearest, not the alphabet",
        "body": {
            "words": [_w("hm", 2.0, 2.2)],
            "turns": [_t(0.0, 1.7, "B"), _t(2.9, 3.8, "A")],
        },
        "words": ["B"],
        "segments": [["B", "hm"]],
    },
    {
        "name": "a one-word flip at a jittery turn boundary is smoothed",
        "body": {
            "segments": [
                {
                    "start": 0.5,
                    "end": 2.5,
                    "text": "we can start now",
                    "words": [
                        _w("we", 0.5, 0.9),
                        _w("can", 1.0, 1.5),
                        _w("start", 1.6, 2.0),
                        _w("now", 2.1, 2.5),
                    ],
                }
            ],
            "turns": [_t(0.0, 1.05, "A"), _t(1.05, 1.35, "B"), _t(1.35, 3.0, "A")],
        },
        "words": ["A"] * 4,
        "segments": [["A", "we can start now"]],
    },
    {
        "name": "a real one-word interjection keeps its speaker but does not split",
        "body": {
            "segments": [
                {
                    "start": 0.5,
                    "end": 2.5,
                    "text": "so yes we go",
                    "words": [
                        _w("so", 0.5, 0.9),
                        _w("yes", 1.1, 1.4),
                        _w("we", 1.6, 2.0),
                        _w("go", 2.1, 2.5),
                    ],
                }
            ],
            "turns": [_t(0.0, 1.0, "A"), _t(1.0, 1.5, "B"), _t(1.5, 3.0, "A")],
        },
        "words": ["A", "B", "A", "A"],
        "segments": [["A", "so yes we go"]],
    },
    {
        "name": "a segment is split where the speaker changes for two words",
        "body": {
            "segments": [
                {
                    "start": 0.0,
                    "end": 2.9,
                    "text": "we should ship on friday sounds good",
                    "words": [
                        _w("we", 0.0, 0.3),
                        _w("should", 0.4, 0.7),
                        _w("ship", 0.8, 1.1),
                        _w("on", 1.2, 1.5),
                        _w("friday", 1.6, 1.9),
                        _w("sounds", 2.0, 2.3),
                        _w("good", 2.4, 2.7),
                    ],
                }
            ],
            "turns": [_t(0.0, 1.95, "A"), _t(1.95, 3.0, "B")],
        },
        "words": ["A"] * 5 + ["B"] * 2,
        "segments": [["A", "we should ship on friday"], ["B", "sounds good"]],
        "segment_times": [[0.0, 1.9], [2.0, 2.9]],
    },
    {
        "name": "a pause inside an ASR segment never splits it",
        "body": {
            "segments": [
                {
                    "start": 0.0,
                    "end": 5.0,
                    "text": "let me think okay",
                    "words": [
                        _w("let", 0.0, 0.3),
                        _w("me", 0.4, 0.6),
                        _w("think", 0.7, 1.0),
                        _w("okay", 4.5, 5.0),
                    ],
                }
            ],
            "turns": [_t(0.0, 1.2, "A"), _t(4.3, 5.2, "A")],
        },
        "words": ["A"] * 4,
        "segments": [["A", "let me think okay"]],
        "segment_times": [[0.0, 5.0]],
    },
    {
        "name": "two ASR segments of one speaker are never joined",
        "body": {
            "segments": [
                {
                    "start": 0.0,
                    "end": 1.0,
                    "text": "first part",
                    "words": [_w("first", 0.0, 0.4), _w("part", 0.5, 1.0)],
                },
                {
                    "start": 1.1,
                    "end": 2.0,
                    "text": "second part",
                    "words": [_w("second", 1.1, 1.5), _w("part", 1.6, 2.0)],
                },
            ],
            "turns": [_t(0.0, 2.0, "A")],
        },
        "words": ["A"] * 4,
        "segments": [["A", "first part"], ["A", "second part"]],
    },
    {
        "name": "a segment without words is kept and labelled by overlap",
        "body": {
            "segments": [
                {
                    "start": 0.0,
                    "end": 2.0,
                    "text": "can you hear me",
                    "words": [
                        _w("can", 0.0, 0.3),
                        _w("you", 0.4, 0.6),
                        _w("hear", 0.7, 1.0),
                        _w("me", 1.1, 1.5),
                    ],
                },
                {"start": 3.0, "end": 4.0, "text": "[inaudible]", "words": []},
                {
                    "start": 4.5,
                    "end": 5.5,
                    "text": "yes now",
                    "words": [_w("yes", 4.5, 4.9), _w("now", 5.0, 5.5)],
                },
            ],
            "turns": [_t(0.0, 2.5, "A"), _t(2.8, 6.0, "B")],
        },
        "words": ["A"] * 4 + ["B"] * 2,
        "segments": [["A", "can you hear me"], ["B", "[inaudible]"], ["B", "yes now"]],
        "segment_times": [[0.0, 2.0], [3.0, 4.0], [4.5, 5.5]],
    },
    {
        "name": "a wordless segment in a gap takes the turn nearest by midpoint",
        "body": {
            "segments": [
                {"start": 1.0, "end": 2.0, "text": "hello", "words": [_w("hello", 1.0, 2.0)]},
                {"start": 10.0, "end": 12.0, "text": "♪", "words": []},
            ],
            "turns": [_t(0.0, 5.0, "A"), _t(13.0, 20.0, "B")],
        },
        "words": ["A"],
        "segments": [["A", "hello"], ["B", "♪"]],
    },
    {
        "name": "a lone word at the start of the transcript does not get its own segment",
        "body": {
            "segments": [
                {
                    "start": 0.1,
                    "end": 1.7,
                    "text": "um so the plan is",
                    "words": [
                        _w("um", 0.1, 0.4),
                        _w("so", 0.6, 0.8),
                        _w("the", 0.9, 1.0),
                        _w("plan", 1.1, 1.4),
                        _w("is", 1.5, 1.7),
                    ],
                },
            ],
            "turns": [_t(0.0, 0.5, "B"), _t(0.5, 3.0, "A")],
        },
        "words": ["B", "A", "A", "A", "A"],
        "segments": [["A", "um so the plan is"]],
        "segment_times": [[0.1, 1.7]],
    },
    {
        "name": "a lone word at the end of the transcript does not get its own segment",
        "body": {
            "words": [
                _w("that", 0.0, 0.3),
                _w("is", 0.4, 0.6),
                _w("all", 0.7, 1.0),
                _w("thanks", 1.2, 1.6),
            ],
            "turns": [_t(0.0, 1.1, "A"), _t(1.1, 2.0, "B")],
        },
        "words": ["A", "A", "A", "B"],
        "segments": [["A", "that is all thanks"]],
    },
    {
        "name": "words without segments: split by speaker, never at a pause",
        "body": {
            "word_segments": [
                _w("first", 0.0, 0.4),
                _w("thing", 0.5, 0.9),
                _w("second", 3.0, 3.4),
                _w("thing", 3.5, 3.9),
                _w("got", 4.2, 4.5),
                _w("it", 4.6, 4.8),
            ],
            "turns": [_t(0.0, 4.0, "A"), _t(4.0, 5.0, "B")],
        },
        "words": ["A"] * 4 + ["B"] * 2,
        "segments": [["A", "first thing second thing"], ["B", "got it"]],
    },
    {
        "name": "a speaker change that starts at a segment's last word splits that segment",
        "body": {
            "segments": [
                {
                    "start": 0.0,
                    "end": 1.9,
                    "text": "we ship friday sounds",
                    "words": [
                        _w("we", 0.0, 0.3),
                        _w("ship", 0.4, 0.7),
                        _w("friday", 0.8, 1.2),
                        _w("sounds", 1.6, 1.9),
                    ],
                },
                {
                    "start": 2.0,
                    "end": 3.0,
                    "text": "good to me",
                    "words": [_w("good", 2.0, 2.3), _w("to", 2.4, 2.6), _w("me", 2.7, 3.0)],
                },
            ],
            "turns": [_t(0.0, 1.5, "A"), _t(1.5, 3.5, "B")],
        },
        "words": ["A"] * 3 + ["B"] * 4,
        "segments": [["A", "we ship friday"], ["B", "sounds"], ["B", "good to me"]],
    },
    {
        "name": "speakers renamed by a map",
        "body": {
            "words": [
                _w("hi", 0.0, 0.4),
                _w("there", 0.5, 0.9),
                _w("hey", 1.5, 1.8),
                _w("you", 1.9, 2.2),
            ],
            "turns": [_t(0.0, 1.0, "SPEAKER_00"), _t(1.4, 2.4, "SPEAKER_01")],
            "speaker_names": {"SPEAKER_00": "Alice", "SPEAKER_01": "Bob"},
        },
        "words": ["Alice", "Alice", "Bob", "Bob"],
        "segments": [["Alice", "hi there"], ["Bob", "hey you"]],
    },
    {
        "name": "speakers renamed by a list in order of first speech",
        "body": {
            "words": [
                _w("hi", 0.0, 0.4),
                _w("there", 0.5, 0.9),
                _w("hey", 1.5, 1.8),
                _w("you", 1.9, 2.2),
            ],
            "turns": [_t(1.4, 2.4, "A"), _t(0.0, 1.0, "B")],
            "speaker_names": ["Alice", "Bob"],
        },
        "words": ["Alice", "Alice", "Bob", "Bob"],
        "segments": [["Alice", "hi there"], ["Bob", "hey you"]],
    },
    {
        "name": "no turns is a client error",
        "body": {"words": [_w("hi", 0.0, 0.4)], "turns": []},
        "status": "4xx",
    },
    # Dual channel: local words/segments at the top level, the remote party under "remote".
    {
        "name": "dual: an exact echo of a remote segment is dropped",
        "body": {
            "segments": [
                {"start": 10.03, "end": 14.03, "text": "okay the report is done tomorrow"}
            ],
            "remote": {
                "segments": [
                    {"start": 10.0, "end": 14.0, "text": "okay the report is done tomorrow"}
                ]
            },
            "local_speaker": "Alice",
            "remote_speaker": "Bob",
        },
        "segments": [["Bob", "okay the report is done tomorrow"]],
        "dropped": ["okay the report is done tomorrow"],
    },
    {
        "name": "dual: echo spanning two remote segments is dropped",
        "body": {
            "segments": [
                {"start": 3.63, "end": 6.83, "text": "great please share the report is ready"}
            ],
            "remote": {
                "segments": [
                    {"start": 3.6, "end": 4.74, "text": "great please share"},
                    {"start": 5.24, "end": 6.8, "text": "the report is ready"},
                ]
            },
        },
        "segments": [
            ["remote", "great please share"],
            ["remote", "the report is ready"],
        ],
        "dropped": ["great please share the report is ready"],
    },
    {
        "name": "dual: genuine speech is kept and merged in time order",
        "body": {
            "segments": [{"start": 0.3, "end": 3.1, "text": "hello bob the budget is ready"}],
            "remote": {"segments": [{"start": 3.6, "end": 4.5, "text": "great thanks"}]},
            "local_speaker": "Alice",
            "remote_speaker": "Bob",
        },
        "segments": [["Alice", "hello bob the budget is ready"], ["Bob", "great thanks"]],
        "dropped": [],
    },
    {
        "name": "dual: a short local answer during remote speech is kept",
        "body": {
            "segments": [{"start": 4.0, "end": 4.3, "text": "yes"}],
            "remote": {
                "segments": [{"start": 3.0, "end": 6.0, "text": "I think we should go now"}]
            },
        },
        "segments": [["remote", "I think we should go now"], ["local", "yes"]],
        "dropped": [],
    },
    {
        "name": "dual: less than half the local segment overlaps: kept",
        "body": {
            "segments": [{"start": 12.0, "end": 17.0, "text": "okay the report is done"}],
            "remote": {
                "segments": [
                    {"start": 10.0, "end": 14.0, "text": "okay the report is done tomorrow"}
                ]
            },
        },
        "segments": [
            ["remote", "okay the report is done tomorrow"],
            ["local", "okay the report is done"],
        ],
        "dropped": [],
    },
    {
        "name": "dual: 3 of 5 words shared is genuine speech",
        "body": {
            "segments": [{"start": 10.1, "end": 13.0, "text": "okay the budget is fine"}],
            "remote": {
                "segments": [
                    {"start": 10.0, "end": 14.0, "text": "okay the report is done tomorrow"}
                ]
            },
        },
        "segments": [
            ["remote", "okay the report is done tomorrow"],
            ["local", "okay the budget is fine"],
        ],
        "dropped": [],
    },
    {
        "name": "dual: 4 of 5 words shared (80 %) is bleed",
        "body": {
            "segments": [{"start": 10.1, "end": 13.0, "text": "okay the report is fine"}],
            "remote": {
                "segments": [
                    {"start": 10.0, "end": 14.0, "text": "okay the report is done tomorrow"}
                ]
            },
        },
        "segments": [["remote", "okay the report is done tomorrow"]],
        "dropped": ["okay the report is fine"],
    },
    {
        "name": "dual: a remote segment of three words is too short to judge",
        "body": {
            "segments": [{"start": 10.1, "end": 14.0, "text": "okay the report is done"}],
            "remote": {"segments": [{"start": 10.0, "end": 14.0, "text": "okay the report"}]},
        },
        "segments": [["remote", "okay the report"], ["local", "okay the report is done"]],
        "dropped": [],
    },
    {
        "name": "dual: case and punctuation are ignored",
        "body": {
            "segments": [{"start": 10.05, "end": 14.0, "text": "Okay, the REPORT is done."}],
            "remote": {
                "segments": [
                    {"start": 10.0, "end": 14.0, "text": "okay the report is done tomorrow"}
                ]
            },
        },
        "segments": [["remote", "okay the report is done tomorrow"]],
        "dropped": ["Okay, the REPORT is done."],
    },
    {
        "name": "dual: words are compared as a multiset",
        "body": {
            "segments": [{"start": 10.05, "end": 13.0, "text": "the the the the the"}],
            "remote": {"segments": [{"start": 10.0, "end": 14.0, "text": "the report is done"}]},
        },
        "segments": [["remote", "the report is done"], ["local", "the the the the the"]],
        "dropped": [],
    },
    {
        "name": "dual: double talk with different words is kept on both sides",
        "body": {
            "segments": [{"start": 2.0, "end": 4.0, "text": "no wait I disagree with that"}],
            "remote": {
                "segments": [{"start": 1.5, "end": 4.5, "text": "so we will ship it on friday"}]
            },
            "local_speaker": "Alice",
            "remote_speaker": "Bob",
        },
        "segments": [
            ["Bob", "so we will ship it on friday"],
            ["Alice", "no wait I disagree with that"],
        ],
        "dropped": [],
    },
    {
        "name": "dual: words of both channels come back labelled in time order",
        "body": {
            "words": [_w("hi", 0.0, 0.3), _w("bob", 0.4, 0.7)],
            "segments": [{"start": 0.0, "end": 0.7, "text": "hi bob"}],
            "remote": {
                "words": [_w("hey", 1.0, 1.3), _w("alice", 1.4, 1.8)],
                "segments": [{"start": 1.0, "end": 1.8, "text": "hey alice"}],
            },
            "local_speaker": "Alice",
            "remote_speaker": "Bob",
        },
        "words": ["Alice", "Alice", "Bob", "Bob"],
        "segments": [["Alice", "hi bob"], ["Bob", "hey alice"]],
        "dropped": [],
    },
]
