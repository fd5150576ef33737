/*
 * Dashboard tiles.
 *
 * A descriptor tile (kind "descriptor") is drawn by the shell: its title, a status dot
 * from `status_probe`, its `fields` (GET `source`, read the dotted `key`) and its
 * `actions` (buttons; `confirm` text is asked first, `gate` pauses the button while
 * GET /api/gates/{gate} refuses, with the reason shown).
 *
 * Module tile contract (kind "module"):
 *
 *   The tile's `module` is an ES module in the plugin's static directory, served at
 *   /plugins/<plugin>/static/<module>. The dashboard imports it and calls its default
 *   export:
 *
 *     export default async function mount(container, ctx) { ... }
 *
 *   It builds with the tile kit, import { h, errorText, ... } from '/ui/kit/index.js'
 *   (ui/kit/index.js; documented in docs/PLUGINS.md, "The tile kit").
 *
 *   - `container` is an empty element inside the tile (below the shell-drawn title and
 *     status dot). Draw only inside it, with DOM APIs and textContent: the page's
 *     Content-Security-Policy forbids inline scripts and styles from elsewhere, and
 *     plugin data must never be inserted as HTML.
 *   - `ctx.tile` is the tile as GET /api/ui/tiles returned it (read-only).
 *   - `ctx.api.get(path)`, `ctx.api.post(path, body)`, `ctx.api.del(path)` and
 *     `ctx.api.request(method, path, body)` send same-origin JSON requests to this
 *     gateway (paths only, like "/api/hello"). They resolve to the parsed JSON body (null
 *     when empty) and reject with an ApiError {status, type, message, detail} built
 *     from the gateway's error shape.
 *   - `ctx.on(type, handler)` calls `handler(event)` for every event of that type on the
 *     page's one event stream (`event` is the envelope {id, type, source, time, data});
 *     it returns a function that unsubscribes. Subscribe to "stream.reset" to refetch
 *     after the stream lost events.
 *   - `ctx.confirm(text, label, {danger, detail})` opens the dashboard's confirmation
 *     dialog and resolves to true only when the user pressed the button labelled `label`;
 *     `detail` (a DOM node) is shown under the question. Every destructive action must
 *     ask first, in plain English saying what happens to the cluster.
 *   - `mount` may return (or resolve to) a function; it is called when the tile is
 *     removed (the dashboard redraws its tiles when the tile list changes). Handlers
 *     registered through `ctx.on` are removed then too.
 *   - If importing the module, `mount` or one of its `ctx.on` handlers throws, the
 *     error is shown inside the tile; the rest of the page keeps working.
 */

import { api, isLocalPath } from './api.js';
import { dig, displayValue, overallState } from './dom.js';
import { confirmAction, errorText, h, setStatus, statusBadge } from './kit/index.js';

// Each tile's probes, as GET /api/problems names them (its status_probe and the other
// probes of its plugin): its badge shows the worst of them.
const tileProbes = new Map();

function badgeState(tile, probes) {
  const names = tileProbes.get(tile.id) ?? [tile.status_probe];
  const states = names.map((name) => probes[name]?.state).filter(Boolean);
  return states.length ? overallState(states) : 'unknown';
}

function tileFrame(tile, probes) {
  const titleId = `tile-${tile.id}-title`;
  const head = h('header', { class: 'card-head' }, h('h3', { id: titleId, text: tile.title }));
  let badge = null;
  if (tile.status_probe) {
    badge = statusBadge(badgeState(tile, probes));
    head.append(badge);
  }
  const article = h(
    'article',
    { id: `tile-${tile.id}`, tabindex: '-1', class: `card tile tile-${tile.kind}`, 'aria-labelledby': titleId, dataset: { tile: tile.id, plugin: tile.plugin } },
    head,
  );
  if (tile.description) article.append(h('p', { class: 'description', text: tile.description }));
  return { article, badge };
}

function descriptorTile(tile, probes) {
  const { article, badge } = tileFrame(tile, probes);
  const values = [];
  if (tile.fields.length) {
    const list = h('dl', { class: 'fields' });
    for (const field of tile.fields) {
      const dd = h('dd', { text: '…' });
      values.push({ field, dd });
      list.append(h('div', { class: 'fact' }, h('dt', { text: field.label }), dd));
    }
    article.append(list);
  }
  const result = h('p', { class: 'result small', role: 'status', 'aria-live': 'polite' });
  const gated = [];
  if (tile.actions.length) {
    const box = h('div', { class: 'actions' });
    tile.actions.forEach((action, index) => {
      const reasonId = `tile-${tile.id}-action-${index}-reason`;
      const reason = h('p', { class: 'refusal small', id: reasonId, hidden: true });
      const button = h('button', {
        type: 'button',
        class: action.confirm ? 'button danger' : 'button',
        text: action.label,
        dataset: { action: action.label },
      });
      const entry = { action, button, reason, busy: false, refused: false, seq: 0 };
      button.addEventListener('click', () => run(entry));
      if (action.gate) {
        button.setAttribute('aria-describedby', reasonId);
        gated.push(entry);
      }
      box.append(h('div', { class: 'action' }, button, reason));
    });
    article.append(box);
  }
  article.append(result);

  function sync(entry) {
    entry.button.disabled = entry.busy || entry.refused;
  }

  async function run(entry) {
    const { action, button } = entry;
    if (action.confirm && !(await confirmAction(action.confirm, action.label))) {
      result.textContent = `${action.label}: cancelled, nothing was sent.`;
      return;
    }
    entry.busy = true;
    sync(entry);
    result.dataset.outcome = 'pending';
    result.textContent = `${action.label}: sending…`;
    try {
      await api.request(action.method, action.path, action.body ?? undefined);
      result.dataset.outcome = 'ok';
      result.textContent = `${action.label}: done.`;
      refreshFields();
    } catch (error) {
      result.dataset.outcome = 'error';
      result.textContent = `${action.label} failed: ${errorText(error)}`;
    } finally {
      entry.busy = false;
      sync(entry);
      if (document.activeElement === document.body) button.focus();
    }
  }

  async function askGate(entry) {
    const seq = ++entry.seq;
    let refusal = null;
    try {
      const answer = await api.get(`/api/gates/${encodeURIComponent(entry.action.gate)}`);
      refusal = answer.allowed ? null : answer.refusal ?? { reason: 'refused' };
    } catch (error) {
      refusal = { reason: `could not ask the gate: ${errorText(error)}` };
    }
    if (seq !== entry.seq) return; // a newer answer is on its way
    entry.refused = refusal !== null;
    entry.reason.hidden = !entry.refused;
    entry.reason.textContent = entry.refused ? `Paused: ${refusal.reason}` : '';
    sync(entry);
  }

  async function refreshFields() {
    const sources = new Map();
    for (const { field } of values) {
      if (!sources.has(field.source)) {
        sources.set(field.source, isLocalPath(field.source) ? api.get(field.source) : Promise.reject(new Error('not a local path')));
      }
    }
    await Promise.all(
      values.map(async ({ field, dd }) => {
        try {
          dd.textContent = displayValue(dig(await sources.get(field.source), field.key));
          dd.classList.remove('error');
        } catch (error) {
          dd.textContent = `unavailable: ${errorText(error)}`;
          dd.classList.add('error');
        }
      }),
    );
  }

  return {
    article,
    refresh() {
      refreshFields();
      for (const entry of gated) askGate(entry);
    },
    gateChanged(action) {
      for (const entry of gated) if (action === '*' || action === entry.action.gate) askGate(entry);
    },
    setHealth(probes) {
      if (badge) setStatus(badge, badgeState(tile, probes));
    },
    unmount() {},
  };
}

function moduleTile(tile, probes, events) {
  const { article, badge } = tileFrame(tile, probes);
  const container = h('div', { class: 'tile-body' });
  const failure = h('p', { class: 'tile-error', role: 'alert', hidden: true });
  article.append(container, failure);
  const unsubscribers = [];
  let cleanup = null;

  function fail(error) {
    console.error(`tile ${tile.id} failed`, error);
    failure.hidden = false;
    failure.textContent = `This tile failed: ${errorText(error)}`;
  }

  const ctx = Object.freeze({
    tile: Object.freeze(structuredClone(tile)),
    api,
    confirm: confirmAction,
    on(type, handler) {
      const off = events.on(type, (event) => {
        try {
          const out = handler(event);
          if (out && typeof out.catch === 'function') out.catch(fail);
        } catch (error) {
          fail(error);
        }
      });
      unsubscribers.push(off);
      return off;
    },
  });

  async function mount() {
    try {
      if (!isLocalPath(tile.module_url)) throw new Error('the tile has no module on this gateway');
      const module = await import(tile.module_url);
      const entry = typeof module.default === 'function' ? module.default : module.default?.mount ?? module.mount;
      if (typeof entry !== 'function') throw new Error('the module exports no mount function');
      const out = await entry(container, ctx);
      if (typeof out === 'function') cleanup = out;
    } catch (error) {
      fail(error);
    }
  }

  return {
    article,
    mounted: mount(),
    refresh() {},
    gateChanged() {},
    setHealth(probes) {
      if (badge) setStatus(badge, badgeState(tile, probes));
    },
    unmount() {
      for (const off of unsubscribers) off();
      try {
        cleanup?.();
      } catch (error) {
        console.error(error);
      }
    },
  };
}

/** Draws the tiles in `container`; keeps module tiles mounted while the list is unchanged. */
export function createTiles(container, events) {
  let shown = [];
  let signature = null;

  async function render(tiles, probes) {
    const next = JSON.stringify(tiles);
    if (next === signature) {
      for (const tile of shown) {
        tile.setHealth(probes);
        tile.refresh();
      }
      return;
    }
    for (const tile of shown) tile.unmount();
    signature = next;
    shown = tiles.map((tile) => (tile.kind === 'module' ? moduleTile(tile, probes, events) : descriptorTile(tile, probes)));
    container.replaceChildren(...shown.map((t) => t.article));
    if (!shown.length) container.append(h('p', { class: 'muted', text: 'No plugin contributes a tile.' }));
    for (const tile of shown) tile.refresh();
    await Promise.all(shown.map((t) => t.mounted));
  }

  /** Which probes make each tile's badge ({tile id: {probes}} from GET /api/problems). */
  function setBadgeProbes(tiles, probes) {
    tileProbes.clear();
    for (const [id, badge] of Object.entries(tiles ?? {})) tileProbes.set(id, badge.probes ?? []);
    shown.forEach((t) => t.setHealth(probes));
  }

  return {
    render,
    setBadgeProbes,
    setHealth: (probes) => shown.forEach((t) => t.setHealth(probes)),
    gateChanged: (action) => shown.forEach((t) => t.gateChanged(action)),
  };
}
