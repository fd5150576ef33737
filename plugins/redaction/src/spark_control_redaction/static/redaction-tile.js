// The redaction plugin's dashboard tile: the vault's size, and a try-it panel that
// scrubs a text, shows what was found, and rehydrates a reply in the same session.
//
// A module tile (see docs/PLUGINS.md): plain DOM, every value from the gateway goes in
// as text, never as markup. Styles in redaction-tile.css use the dashboard's colour
// variables, so light and dark follow the page.
//
// Sources: GET /api/redaction/status (vault size, sample text), POST /api/redaction/scrub,
// POST /api/redaction/rehydrate, DELETE /api/redaction/sessions/{id}.

import { h, loadStyles, plural } from '/ui/kit/index.js';

let instances = 0;

export default async function mount(container, ctx) {
  loadStyles(new URL('redaction-tile.css', import.meta.url));
  const uid = `redaction-tile-${++instances}`;
  let alive = true;
  let session = null;

  const vault = h('dd', { class: 'redaction-vault', text: '…' });
  const model = h('dd', { class: 'redaction-model', text: '…' });
  const facts = h(
    'dl',
    { class: 'fields' },
    h('div', { class: 'fact' }, h('dt', { text: 'Vault' }), vault),
    h('div', { class: 'fact' }, h('dt', { text: 'Detector' }), model),
  );

  const input = h('textarea', { id: `${uid}-input`, rows: 4, class: 'redaction-input' });
  const scrubButton = h('button', { type: 'button', class: 'button', text: 'Scrub' });
  const scrubbed = h('pre', { class: 'redaction-output', 'aria-live': 'polite', dataset: { role: 'scrubbed' } });
  const found = h('ul', { class: 'redaction-entities', 'aria-label': 'Entities found' });
  const sessionLine = h('p', { class: 'redaction-session muted', hidden: true });

  const reply = h('textarea', { id: `${uid}-reply`, rows: 3, class: 'redaction-input' });
  const rehydrateButton = h('button', { type: 'button', class: 'button', text: 'Rehydrate', disabled: true });
  const forgetButton = h('button', { type: 'button', class: 'button', text: 'Forget session', disabled: true });
  const restored = h('pre', { class: 'redaction-output', 'aria-live': 'polite', dataset: { role: 'restored' } });
  const unknown = h('p', { class: 'redaction-unknown', hidden: true });
  const error = h('p', { class: 'error redaction-error', role: 'alert', hidden: true });

  const panel = h(
    'div',
    { class: 'redaction-tile' },
    facts,
    h('label', { for: input.id, text: 'Text to scrub' }),
    input,
    h('div', { class: 'actions' }, scrubButton),
    scrubbed,
    found,
    sessionLine,
    h('label', { for: reply.id, text: 'Model reply to rehydrate' }),
    reply,
    h('div', { class: 'actions' }, rehydrateButton, forgetButton),
    restored,
    unknown,
    error,
  );
  container.append(panel);

  function showError(err) {
    error.hidden = !err;
    error.textContent = err ? err.message || String(err) : '';
  }

  async function refresh() {
    try {
      const status = await ctx.api.get('/api/redaction/status');
      if (!alive) return;
      vault.textContent = `${plural(status.sessions, 'session', 'sessions')}, ${plural(status.entities, 'entity', 'entities')}`;
      vault.dataset.sessions = String(status.sessions);
      model.textContent = status.model ? `${status.model}${status.model_loaded ? '' : ' (loads on first use)'} + rules` : 'rules only';
      if (!input.value) input.value = status.sample_text;
      canAct();
    } catch (err) {
      showError(err);
    }
  }

  // A button that can do nothing is disabled: Scrub without text, Rehydrate without a
  // session or a reply, Forget without a session.
  let scrubbing = false;
  function canAct() {
    scrubButton.disabled = scrubbing || !input.value.trim();
    rehydrateButton.disabled = !session || !reply.value.trim();
  }
  input.addEventListener('input', canAct);
  reply.addEventListener('input', canAct);

  function setSession(id) {
    session = id;
    canAct();
    forgetButton.disabled = !id;
    sessionLine.hidden = !id;
    sessionLine.textContent = id ? `Session ${id.slice(0, 10)}…` : '';
  }

  scrubButton.addEventListener('click', async () => {
    showError(null);
    scrubbing = true;
    canAct();
    try {
      const body = { text: input.value };
      if (session) body.session_id = session;
      const result = await ctx.api.post('/api/redaction/scrub', body);
      scrubbed.textContent = result.text;
      found.replaceChildren(
        ...result.entities.map((e) =>
          h('li', { dataset: { type: e.type } }, h('code', { text: e.placeholder }), ` ${e.type.toLowerCase().replace('_', ' ')}`),
        ),
      );
      setSession(result.session_id);
      reply.value = result.text;
      canAct();
      await refresh();
    } catch (err) {
      if (err.status === 404 || err.status === 410) setSession(null);
      showError(err);
    } finally {
      scrubbing = false;
      canAct();
    }
  });

  rehydrateButton.addEventListener('click', async () => {
    showError(null);
    try {
      const result = await ctx.api.post('/api/redaction/rehydrate', { text: reply.value, session_id: session });
      restored.textContent = result.text;
      unknown.hidden = result.unknown_placeholders.length === 0;
      unknown.textContent = `Not in this session, left as written: ${result.unknown_placeholders.join(', ')}`;
    } catch (err) {
      if (err.status === 404 || err.status === 410) setSession(null);
      showError(err);
    }
  });

  forgetButton.addEventListener('click', async () => {
    const ok = await ctx.confirm(
      'Forget this session? Its mapping is deleted from the vault now, and replies that still contain its placeholders can no longer be restored.',
      'Forget',
    );
    if (!ok) return;
    try {
      await ctx.api.del(`/api/redaction/sessions/${encodeURIComponent(session)}`);
    } catch (err) {
      showError(err);
    }
    setSession(null);
    scrubbed.textContent = '';
    restored.textContent = '';
    found.replaceChildren();
    await refresh();
  });

  await refresh();
  const off = ctx.on('stream.reset', refresh);
  return () => {
    alive = false;
    off();
  };
}
