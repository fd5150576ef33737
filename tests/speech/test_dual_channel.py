"""Dual-channel recordings: the local microphone and the remote party on two channels
(or two files), merged in time order, with the local channel's bleed of the remote
audio dropped and quiet genuine local words kept."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from spark_control.sim import SimCluster
from spark_control_speech.dual import BleedRule, is_bleed, merge_channels
from spark_control_speech.shapes import Segment, Word
from spark_control_speech.sim import tones
from tests.speech.conftest import open_gateway, upload

LOCAL, REMOTE = 0, 1
BLEED_GAIN, BLEED_DELAY_S = 0.12, 0.03


def _call() -> tuple[np.ndarray, list[tones.Spoken], list[tones.Spoken]]:
    """A call: Alice (local) and Bob (remote) take turns; Alice's microphone hears Bob
    through her speakers, quieter and a little late; once Alice says "yes" quietly in
    Bob's short pause mid-sentence (a genuine word, as quiet as the bleed)."""
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
    stereo, alice, bob = _call()
    async with open_gateway(tmp_path, cluster) as gw:
        response = await gw.client.post(
            "/api/transcribe",
            files=upload(tones.encode(stereo)),
            data={"channels": "dual", "local_speaker": "Alice", "remote_speaker": "Bob"},
        )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["speakers"] == ["Alice", "Bob"]
    assert [(s["speaker"], s["text"]) for s in body["segments"]] == [
        ("Alice", "hello bob the budget review is ready"),
        ("Bob", "great please share the report"),
        ("Alice", "yes"),
        ("Alice", "thanks please send the report today"),
        ("Bob", "okay the report is done tomorrow morning"),
    ]
    # Bob's two sentences, heard again on Alice's microphone, are what was dropped.
    assert [d["text"] for d in body["dropped_bleed"]] == [
        "great please share the report",
        "okay the report is done tomorrow morning",
    ]
    starts = [w["start"] for w in body["words"]]
    assert starts == sorted(starts)
    assert sum(1 for w in body["words"] if w["speaker"] == "Alice") == len(alice)
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
        "local: yes",
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


def _seg(start: float, end: float, text: str) -> Segment:
    return Segment(start, end, text)


def test_the_bleed_rule_needs_time_words_and_length() -> None:
    rule = BleedRule()
    remote = _seg(10.0, 14.0, "okay the report is done tomorrow")
    assert is_bleed(_seg(10.1, 14.0, "okay the report is done tomorrow"), remote, rule)
    # 4 of 5 words shared (80 %): still bleed; 3 of 5: genuine speech.
    assert is_bleed(_seg(10.1, 13.0, "okay the report is fine"), remote, rule)
    assert not is_bleed(_seg(10.1, 13.0, "okay the budget is fine"), remote, rule)
    # Same words but only 40 % of the local segment overlaps in time.
    assert not is_bleed(_seg(12.0, 17.0, "okay the report is done"), remote, rule)
    # Too short to judge: three words, even if all are the remote's.
    assert not is_bleed(_seg(10.1, 11.0, "okay the report"), remote, rule)
    assert not is_bleed(
        _seg(10.1, 14.0, "okay the report is done"), _seg(10, 14, "okay the report"), rule
    )


def test_merge_channels_labels_sorts_and_drops_words_of_dropped_segments() -> None:
    # Alice says "hi"; her microphone then hears Bob's sentence 50 ms late, and her own
    # quiet "yes" in the middle of it.
    local = [
        Word(0.0, 0.3, "hi"),
        Word(1.05, 1.3, "see"),
        Word(1.45, 1.7, "you"),
        Word(1.62, 1.8, "yes"),
        Word(1.85, 2.1, "at"),
        Word(2.25, 2.5, "ten"),
    ]
    remote_words = [
        Word(1.0, 1.25, "see"),
        Word(1.4, 1.65, "you"),
        Word(1.8, 2.05, "at"),
        Word(2.2, 2.45, "ten"),
    ]
    remote_segments = [_seg(1.0, 2.45, "see you at ten")]
    result = merge_channels(local, (remote_words, remote_segments), ("Alice", "Bob"), BleedRule())
    assert [(s.speaker, s.text) for s in result.segments] == [
        ("Alice", "hi"),
        ("Bob", "see you at ten"),
        ("Alice", "yes"),
    ]
    assert [(w.word, w.speaker) for w in result.words] == [
        ("hi", "Alice"),
        ("see", "Bob"),
        ("you", "Bob"),
        ("yes", "Alice"),
        ("at", "Bob"),
        ("ten", "Bob"),
    ]
    assert [d.text for d in result.dropped] == ["see you at ten"]
