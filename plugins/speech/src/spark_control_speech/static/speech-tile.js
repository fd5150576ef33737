// The speech plugin's dashboard tile: health of the ASR, diarizer and TTS services, a
// try-it transcription (upload a recording, see who said what), and a TTS box with an
// audio player.
//
// A module tile (see the contract at the top of the dashboard's tiles.js): plain DOM,
// every value from the gateway goes in as text, never as markup. Uploads use fetch with
// FormData (ctx.api speaks JSON only); the player streams GET /api/speech/tts from its src, so
// the page's Content-Security-Policy (media from 'self') needs no blob: URLs.
//
// Sources: GET /api/speech, GET /api/health, GET /api/speech/tts/voices; events health.changed
// and stream.reset.

import { h, loadStyles, responseErrorText, statusBadge } from '/ui/kit/index.js';

const SERVICES = [
  ['asr', 'Transcription (ASR)'],
  ['diarizer', 'Speakers (diarizer)'],
  ['tts', 'Speech (TTS)'],
];

function clock(seconds) {
  const total = Math.floor(seconds);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

export default async function mount(container, ctx) {
  loadStyles(new URL('speech-tile.css', import.meta.url));
  const root = h('div', { class: 'speech-tile' });
  container.append(root);

  // --- service health --------------------------------------------------------------
  const services = h('ul', { class: 'speech-services', 'aria-label': 'Speech services' });
  const rows = {};
  for (const [name, label] of SERVICES) {
    const what = h('span', { class: 'what' });
    const slot = h('span', { class: 'state' }, statusBadge('unknown'));
    const li = h('li', { dataset: { service: name } }, h('span', {}, h('span', { text: label }), ' ', what), slot);
    rows[name] = { slot, what, li };
    services.append(li);
  }
  root.append(services);

  let status = null;
  async function refresh() {
    const [info, health] = await Promise.all([ctx.api.get('/api/speech'), ctx.api.get('/api/health')]);
    status = info;
    rows.asr.what.textContent = `${info.asr.style} · ${info.asr.model}`;
    rows.diarizer.what.textContent = `up to ${info.diarizer.max_speakers} speakers`;
    rows.tts.what.textContent = info.tts.model;
    for (const [name] of SERVICES) {
      // A service in disabled_services is hidden: no row, and no box to try it with.
      if (info[name].disabled) rows[name].li.remove();
      setState(name, health.probes?.[info[name].service]?.state);
    }
    if (info.asr.disabled) transcribeBox.remove();
    if (info.diarizer.disabled) {
      speakers.checked = false;
      speakersBox.remove();
    }
    if (info.tts.disabled) ttsBox.remove();
    else if (!voicesLoaded) await loadVoices();
    sample.hidden = !info.sample_clip;
  }
  function setState(name, state) {
    rows[name].slot.replaceChildren(statusBadge(state ?? 'unknown'));
  }

  // --- try-it transcription ----------------------------------------------------------
  const file = h('input', { type: 'file', accept: 'audio/*,.wav,.flac,.ogg,.opus,.mp3', 'aria-label': 'Recording' });
  const speakers = h('input', { type: 'checkbox', checked: true });
  const names = h('input', { type: 'text', placeholder: 'Alice, Bob', 'aria-label': 'Speaker names' });
  const go = h('button', { type: 'button', class: 'button', text: 'Transcribe' });
  const sample = h('button', { type: 'button', class: 'button secondary', text: 'Try the sample clip', hidden: true });
  const result = h('p', { class: 'small', role: 'status', 'aria-live': 'polite' });
  const transcript = h('ol', { class: 'transcript', 'aria-label': 'Transcript' });
  const speakersBox = h('div', {},
    h('label', { class: 'inline' }, speakers, 'Label speakers'),
    h('label', {}, 'Speaker names, in order of first speech (optional)', names));
  const transcribeBox = h('fieldset', {},
    h('legend', { text: 'Try a transcription' }),
    h('label', {}, 'Recording (WAV, FLAC, OGG, MP3)', file),
    speakersBox,
    h('div', { class: 'row' }, go, sample),
    result,
    transcript);
  root.append(transcribeBox);

  async function transcribe(blob, filename) {
    const form = new FormData();
    form.append('file', blob, filename);
    form.append('response_format', speakers.checked ? 'diarized_json' : 'verbose_json');
    if (speakers.checked && names.value.trim()) form.append('speaker_names', names.value.trim());
    busy = true;
    go.disabled = sample.disabled = true;
    result.className = 'small';
    result.textContent = 'Transcribing…';
    transcript.replaceChildren();
    try {
      const response = await fetch('/api/speech/transcribe', { method: 'POST', body: form, credentials: 'same-origin' });
      if (!response.ok) throw new Error(await responseErrorText(response));
      const body = await response.json();
      for (const segment of body.segments) {
        transcript.append(h('li', { dataset: { speaker: segment.speaker ?? '' } },
          h('span', { class: 'time', text: clock(segment.start) }),
          segment.speaker ? h('span', { class: 'speaker', text: `${segment.speaker}:` }) : null,
          h('span', { class: 'text', text: segment.text })));
      }
      const count = body.segments.length;
      result.textContent = count ? `${count} segment${count === 1 ? '' : 's'}, ${clock(body.duration)} of audio.` : 'No speech found.';
      if (body.note) result.append(h('span', { class: 'note', text: ` ${body.note}` }));
    } catch (error) {
      result.className = 'small error';
      result.textContent = `Could not transcribe: ${error.message}`;
    } finally {
      busy = false;
      sample.disabled = false;
      canTranscribe();
    }
  }

  // Transcribe does nothing without a recording: disabled until one is chosen.
  let busy = false;
  function canTranscribe() {
    go.disabled = busy || !file.files?.length;
  }
  file.addEventListener('change', canTranscribe);
  canTranscribe();

  go.addEventListener('click', () => {
    const chosen = file.files?.[0];
    if (!chosen) {
      result.className = 'small error';
      result.textContent = 'Choose a recording first.';
      return;
    }
    transcribe(chosen, chosen.name);
  });
  sample.addEventListener('click', async () => {
    const response = await fetch('/api/speech/sample.wav', { credentials: 'same-origin' });
    if (!response.ok) {
      result.textContent = `Could not load the sample: ${await responseErrorText(response)}`;
      return;
    }
    transcribe(await response.blob(), 'sample.wav');
  });

  // --- TTS ---------------------------------------------------------------------------
  const text = h('textarea', { 'aria-label': 'Text to speak', rows: 2, text: 'Hello Alice, the meeting starts at ten.' });
  const voice = h('select', { 'aria-label': 'Voice' });
  const speak = h('button', { type: 'button', class: 'button', text: 'Speak' });
  const player = h('audio', { controls: true, preload: 'none', 'aria-label': 'Spoken audio' });
  const ttsResult = h('p', { class: 'small', role: 'status', 'aria-live': 'polite' });
  const ttsBox = h('fieldset', {},
    h('legend', { text: 'Text to speech' }),
    text,
    h('div', { class: 'row' }, h('label', { class: 'inline' }, 'Voice', voice), speak),
    player,
    ttsResult);
  root.append(ttsBox);

  let voicesLoaded = false;
  async function loadVoices() {
    try {
      const { voices } = await ctx.api.get('/api/speech/tts/voices');
      voicesLoaded = true;
      voice.replaceChildren(...voices.map((v) => h('option', { value: v.id, text: v.language ? `${v.name} (${v.language})` : v.name })));
    } catch (error) {
      ttsResult.textContent = `Voices unavailable: ${error.message}`;
    }
  }

  // Speak does nothing without text: disabled while the box is empty.
  const canSpeak = () => { speak.disabled = !text.value.trim(); };
  text.addEventListener('input', canSpeak);
  canSpeak();

  speak.addEventListener('click', async () => {
    const input = text.value.trim();
    if (!input) {
      ttsResult.className = 'small error';
      ttsResult.textContent = 'Type something to speak.';
      return;
    }
    const params = new URLSearchParams({ input, response_format: 'wav' });
    if (voice.value) params.set('voice', voice.value);
    ttsResult.className = 'small';
    ttsResult.textContent = 'Speaking…';
    player.src = `/api/speech/tts?${params}`;
    try {
      await player.play();
      ttsResult.textContent = 'Playing.';
    } catch (error) {
      // Autoplay may be refused; the player is ready for a click. Other errors show below.
      ttsResult.textContent = error?.name === 'NotAllowedError' ? 'Press play to listen.' : '';
    }
  });
  player.addEventListener('error', () => {
    ttsResult.className = 'small error';
    ttsResult.textContent = 'The speech service could not speak that (see the TTS health above).';
  });
  player.addEventListener('loadedmetadata', () => {
    player.dataset.loaded = 'true';
  });

  const offHealth = ctx.on('health.changed', (event) => {
    const probe = event.data?.probe;
    for (const [name] of SERVICES) {
      if (status && status[name].service === probe) setState(name, event.data.state);
    }
  });
  const offReset = ctx.on('stream.reset', () => refresh());
  await refresh();
  return () => {
    offHealth();
    offReset();
    player.pause();
  };
}
