"""The merge inside ``/api/transcribe`` on real (tone) audio: the ASR's segments are
kept as they come (issue 22, bugs 1 and 4), whatever the pauses in them."""

from __future__ import annotations

from pathlib import Path

from spark_control.sim import SimCluster
from tests.speech.conftest import meeting, open_gateway, upload


async def _diarized(tmp_path: Path, cluster: SimCluster, data: bytes) -> dict:
    async with open_gateway(tmp_path, cluster) as gw:
        response = await gw.client.post("/api/transcribe?diarize=true", files=upload(data))
    assert response.status_code == 200, response.text
    return response.json()


async def test_bug1_two_asr_segments_of_one_speaker_are_not_joined(
    tmp_path: Path, cluster: SimCluster
) -> None:
    # One speaker, two sentences 0.8 s apart: the ASR gives two segments (it splits at
    # 0.6 s), and the merge keeps both, though the pause is under a second.
    data, _ = meeting([(0, ["hello", "alpha", "bravo"]), (0, ["yes", "no", "maybe"])])
    body = await _diarized(tmp_path, cluster, data)
    assert [(s["speaker"], s["text"]) for s in body["segments"]] == [
        ("A", "hello alpha bravo"),
        ("A", "yes no maybe"),
    ]


async def test_bug4_a_lone_first_word_does_not_get_its_own_segment(
    tmp_path: Path, cluster: SimCluster
) -> None:
    # Bob says "okay" and Alice starts 0.2 s later: one ASR segment, two speakers, and the
    # change lasts one word only (at the transcript's start).
    data, _ = meeting([(1, ["okay"]), (0, ["hello", "alpha", "bravo"])], turn_gap_s=0.2)
    body = await _diarized(tmp_path, cluster, data)
    assert [w["speaker"] for w in body["words"]] == ["A", "B", "B", "B"]
    assert [(s["speaker"], s["text"]) for s in body["segments"]] == [
        ("B", "okay hello alpha bravo")
    ]
