"""Spark Control plugin: transcription, diarization, speaker label merge and text to speech."""
