"""Dual-channel recordings: the local microphone and the remote party on two channels
(or two files), merged in time order, with the local channel's bleed of the remote
audio dropped (issue 22, bug 6: echo of a remote party speaking sentences less than a
second apart, and echo the ASR put in one segment with the local speaker's words)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from spark_control.sim import SimCluster
from spark_control_speech.dual import BleedRule, Channel, is_bleed, merge_channels, tokens
from spark_control_speech.shapes import Segment, Word
from spark_control_speech.sim import tones
from tests.speech.conftest import open_gateway, upload

LOCAL, REMOTE = 0, 1
BLEED_GAIN, BLEED_DELAY_S = 0.12, 0.03


def _call() -> tuple[np.ndarray, list[tones.Spoken], list[tones.Spoken]]:
    """A call: Alice (local) and Bob (remote) take turns; Alice's microphone hears Bob
    through her speakers, quieter and a little late; once Alice says "yes" quietly in
    Bob's short pause mid-sentence (a genuine word, as quiet as the bleed, inside the
    echo: it goes with the echo it is part of)."""
    alice = [
        (0.3, "hello bob the budget review is ready"),
        (9.0, "thanks please send the report today"),
    ]
    bob = [
        (3.6, "great please share"),
        (5.24, "the report"),
        (12.8, "okay the report is done tomorrow morning"),
    ]

    def lay(speaker: int, lines: list[tuple[float, str]]) -> list[tones.Spoken]:
        out = []
        for start, line in lines:
            t = start
            for word in line.split():
                out.append(tones.Spoken(speaker, word, round(t, 3), round(t + 0.3, 3)))
                t += 0.42
        return out

    said_alice, said_bob = lay(0, alice), lay(1, bob)
    quiet_yes = tones.Spoken(0, "yes", 4.82, 5.12)  # Bob paused 4.74-5.24 s
    duration = 17.5
    remote = tones.render(said_bob, duration, seed=1)
    local = tones.render(
        [*said_alice, quiet_yes], duration, amplitude=[0.4] * len(said_alice) + [0.05], seed=2
    )
    delay = int(BLEED_DELAY_S * tones.SAMPLE_RATE)
    local[delay:] += BLEED_GAIN * remote[:-delay]
    return np.stack([local, remote], axis=1), [*said_alice, quiet_yes], said_bob


async def test_a_stereo_call_is_merged_in_time_order_without_the_bleed(
    tmp_path: Path, cluster: SimCluster
) -> None:
    stereo, _, bob = _call()
    async with open_gateway(tmp_path, cluster) as gw:
        response = await gw.client.post(
            "/api/transcribe",
            files=upload(tones.encode(stereo)),
            data={"channels": "dual", "local_speaker": "Alice", "remote_speaker": "Bob"},
        )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["speakers"] == ["Alice", "Bob"]
    # The local ASR put Alice's sentence and the start of the echo in one segment
    # (0.5 s apart): the segment is split where its words turn into echo.
    assert [(s["speaker"], s["text"]) for s in body["segments"]] == [
        ("Alice", "hello bob the budget review is ready"),
        ("Bob", "great please share the report"),
        ("Alice", "thanks please send the report today"),
        ("Bob", "okay the report is done tomorrow morning"),
    ]
    # Bob's two sentences, heard again on Alice's microphone, are what was dropped; the
    # quiet "yes" inside the first echo is dropped with it, and shown here.
    assert [d["text"] for d in body["dropped_bleed"]] == [
        "great please share yes the report",
        "okay the report is done tomorrow morning",
    ]
    starts = [w["start"] for w in body["words"]]
    assert starts == sorted(starts)
    assert sum(1 for w in body["words"] if w["speaker"] == "Alice") == 13  # 7 + 6
    assert sum(1 for w in body["words"] if w["speaker"] == "Bob") == len(bob)
    assert body["bleed_rule"] == {"time_overlap": 0.5, "word_overlap": 0.8, "min_words": 4}


async def test_two_files_and_the_local_channel_on_the_right(
    tmp_path: Path, cluster: SimCluster
) -> None:
    stereo, _, _ = _call()
    swapped = tones.encode(stereo[:, ::-1].copy())
    async with open_gateway(tmp_path, cluster) as gw:
        by_channel = await gw.client.post(
            "/api/transcribe",
            files=upload(swapped),
            data={"channels": "dual", "local_channel": "1", "response_format": "text"},
        )
        by_files = await gw.client.post(
            "/api/transcribe",
            files={
                "file": ("alice.wav", tones.encode(stereo[:, 0].copy()), "audio/wav"),
                "remote_file": (
                    "bob.flac",
                    tones.encode(stereo[:, 1].copy(), "FLAC"),
                    "audio/flac",
                ),
            },
            data={"response_format": "text"},
        )
    assert by_channel.status_code == 200, by_channel.text
    assert by_channel.text.splitlines() == [
        "local: hello bob the budget review is ready",
        "remote: great please share the report",
        "local: thanks please send the report today",
        "remote: okay the report is done tomorrow morning",
    ]
    assert by_files.text == by_channel.text


async def test_a_mono_file_cannot_be_dual_channel(tmp_path: Path, cluster: SimCluster) -> None:
    spoken, duration = tones.script([(0, ["hello"])])
    async with open_gateway(tmp_path, cluster) as gw:
        response = await gw.client.post(
            "/api/transcribe",
            files=upload(tones.encode(tones.render(spoken, duration))),
            data={"channels": "dual"},
        )
    assert response.status_code == 400
    assert "stereo" in response.json()["error"]["message"]


async def test_bug6_echo_of_sentences_less_than_a_second_apart_is_dropped(
    tmp_path: Path, cluster: SimCluster
) -> None:
    # Bob says two sentences 0.7 s apart; Alice's microphone only hears them back. Each
    # remote sentence covers less than half of the local stretch: only their union does.
    bob: list[tones.Spoken] = []
    t = 1.0
    for line in ("okay the report is done", "the budget is ready today"):
        for word in line.split():
            bob.append(tones.Spoken(1, word, round(t, 3), round(t + 0.3, 3)))
            t += 0.42
        t += 0.7 - 0.12
    duration = t + 1.0
    remote = tones.render(bob, duration, seed=3)
    local = np.zeros_like(remote)
    delay = int(BLEED_DELAY_S * tones.SAMPLE_RATE)
    local[delay:] += BLEED_GAIN * remote[:-delay]
    local += tones.render([], duration, seed=4)  # the room's own noise
    stereo = np.stack([local, remote], axis=1)
    async with open_gateway(tmp_path, cluster) as gw:
        response = await gw.client.post(
            "/api/transcribe", files=upload(tones.encode(stereo)), data={"channels": "dual"}
        )
    assert response.status_code == 200, response.text
    body = response.json()
    assert [(s["speaker"], s["text"]) for s in body["segments"]] == [
        ("remote", "okay the report is done"),
        ("remote", "the budget is ready today"),
    ]
    assert {w["speaker"] for w in body["words"]} == {"remote"}
    assert len(body["dropped_bleed"]) >= 1


def _seg(start: float, end: float, text: str) -> Segment:
    return Segment(start, end, text)


def _judge(local: Segment, *remote: Segment, rule: BleedRule | None = None) -> bool:
    return is_bleed(
        (local.start, local.end),
        tokens(local.text),
        [(r.start, r.end) for r in remote],
        [t for r in remote for t in tokens(r.text)],
        rule or BleedRule(),
    )


def test_the_bleed_rule_needs_time_words_and_length() -> None:
    remote = _seg(10.0, 14.0, "okay the report is done tomorrow")
    assert _judge(_seg(10.1, 14.0, "okay the report is done tomorrow"), remote)
    # 4 of 5 words shared (80 %): still bleed; 3 of 5: genuine speech.
    assert _judge(_seg(10.1, 13.0, "okay the report is fine"), remote)
    assert not _judge(_seg(10.1, 13.0, "okay the budget is fine"), remote)
    # Same words but only 40 % of the local segment overlaps in time.
    assert not _judge(_seg(12.0, 17.0, "okay the report is done"), remote)
    # Too short to judge: three words, even if all are the remote's.
    assert not _judge(_seg(10.1, 11.0, "okay the report"), remote)
    assert not _judge(_seg(10.1, 14.0, "okay the report is done"), _seg(10, 14, "okay the report"))


def test_bug6_the_bleed_rule_compares_with_the_union_of_the_remote_segments() -> None:
    local = _seg(3.63, 6.83, "great please share the report is ready")
    first = _seg(3.6, 4.74, "great please share")
    second = _seg(5.24, 6.8, "the report is ready")
    # Neither remote segment alone has 4 words and half the time; together they do.
    assert not _judge(local, first) and not _judge(local, second)
    assert _judge(local, first, second)
    # Overlapping remote segments count their shared time once.
    wide = _seg(0.0, 10.0, "one two three four five")
    assert not _judge(wide, _seg(0.0, 3.0, "one two three four five"), _seg(1.0, 4.0, "six"))


def _words(start: float, text: str, step: float = 0.42) -> list[Word]:
    return [Word(start + k * step, start + k * step + 0.3, x) for k, x in enumerate(text.split())]


def test_bug6_echo_split_at_a_remote_boundary_leaves_no_short_fragments() -> None:
    # Bob's two sentences 0.5 s apart; Alice's microphone hears them 30 ms late, and her
    # ASR made one segment of them.
    bob = _words(3.6, "great please share") + _words(5.24, "the report is ready")
    alice = [Word(x.start + 0.03, x.end + 0.03, x.word) for x in bob]
    result = merge_channels(
        Channel(
            alice,
            [Segment(alice[0].start, alice[-1].end, "great please share the report is ready")],
        ),
        Channel(
            bob,
            [Segment(3.6, 4.74, "great please share"), Segment(5.24, 6.8, "the report is ready")],
        ),
        ("Alice", "Bob"),
        BleedRule(),
    )
    assert [(s.speaker, s.text) for s in result.segments] == [
        ("Bob", "great please share"),
        ("Bob", "the report is ready"),
    ]
    assert [d.text for d in result.dropped] == ["great please share the report is ready"]
    assert {x.speaker for x in result.words} == {"Bob"}


def test_a_local_segment_holding_speech_and_echo_keeps_the_speech() -> None:
    alice = _words(0.0, "hi bob it is ready")
    bob = _words(2.2, "see you at ten")
    heard = [Word(x.start + 0.05, x.end + 0.05, x.word) for x in bob]
    result = merge_channels(
        Channel(
            [*alice, *heard], [Segment(0.0, heard[-1].end, "hi bob it is ready see you at ten")]
        ),
        Channel(bob, [Segment(bob[0].start, bob[-1].end, "see you at ten")]),
        ("Alice", "Bob"),
        BleedRule(),
    )
    assert [(s.speaker, s.text) for s in result.segments] == [
        ("Alice", "hi bob it is ready"),
        ("Bob", "see you at ten"),
    ]
    assert [d.text for d in result.dropped] == ["see you at ten"]
    assert [x.word for x in result.words if x.speaker == "Alice"] == [
        "hi",
        "bob",
        "it",
        "is",
        "ready",
    ]
