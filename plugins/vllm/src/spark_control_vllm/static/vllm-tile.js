// The vllm plugin's dashboard tile ("Models"): the current model and its state, the
// catalog picker and swap, a swap's progress (target, elapsed time) and live log,
// cancel, stop / restart, the crash-loop guard, each node's memory, the "+ Add local
// model" form (vllm-local.js) and the models on each node's disk (vllm-disk.js).
// Red is only for what stops or deletes something (Stop, Cancel swap, Delete).
//
// A module tile (see the contract at the top of the dashboard's tiles.js): plain DOM,
// every value from the gateway goes in as text, never as markup. Its styles live in
// vllm-tile.css next to this file (same origin, so the page's CSP lets it load) and
// use the dashboard's colour variables, so light and dark follow the page.
//
// Sources: GET /api/vllm/swap (state), GET /api/vllm/models (catalog), GET /api/nodes (memory),
// GET /api/gates/{action}, GET /api/vllm/swap/history (the last failure, after a reload),
// GET /api/vllm/models/disk, POST /api/vllm/swap?dry_run=true (the plan in the swap's
// confirmation, vllm-plan.js; with several slots, GET /api/vllm/slots and a slot picker
// there, each slot's plan from POST /api/vllm/slots/{slot}/swap?dry_run=true);
// events vllm.swap_* (progress, log, outcome), vllm.state_changed (the state once it
// settles: the only word on where a swap ended, never a guess about timing),
// nodes.facts, gate.changed, health.changed of the tile's probe, vllm.model_added,
// vllm.model_removed, vllm.disk_deleted and stream.reset (refetch all).

import { button, duration, errorText, formatBytes, h, loadStyles } from '/ui/kit/index.js';
import { diskView } from './vllm-disk.js';
import { capItems, refusalText } from './vllm-lists.js';
import { localModelForm } from './vllm-local.js';
import { planMissing, planView } from './vllm-plan.js';

const LOG_LINES = 200;
const SWAP_GATE = 'vllm.swap';
const STOP_GATE = 'vllm.stop';
const ADD_GATE = 'vllm.model_add';
const REMOVE_GATE = 'vllm.model_remove';
const DISK_GATE = 'vllm.disk_delete';
const GATES = [SWAP_GATE, STOP_GATE, ADD_GATE, REMOVE_GATE, DISK_GATE];
const WARNINGS_SHOWN = 3;
// The request rate is a rolling window on the server; polling it is cheap.
const RATE_POLL_MS = 5000;

const PHASES = {
  queued: 'Queued',
  stopping: 'Stopping the current model',
  preflight: 'Checking the node has room',
  launching: 'Launching',
  downloading: 'Downloading the weights',
  loading: 'Loading the weights',
  compiling: 'Compiling and capturing graphs',
  starting: 'Starting the API server',
  checking: 'Checking it answers',
  ready: 'Ready',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const STATES = {
  ready: 'ready',
  swapping: 'swapping',
  down: 'down',
  stopped: 'stopped',
};

// --- small helpers ---------------------------------------------------------------------

function percent(progress) {
  const value = Number(progress);
  if (!Number.isFinite(value)) return 0;
  return Math.max(0, Math.min(100, Math.round(value * 100)));
}

// Colour codes some vLLM builds print; shown as text they are only noise.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

let instances = 0;

// --- the tile ----------------------------------------------------------------------------

export default async function mount(container, ctx) {
  loadStyles(new URL('vllm-tile.css', import.meta.url));
  const uid = `vllm-tile-${++instances}`;
  let alive = true;
  let planning = false; // a swap's plan is being read for its confirmation

  const state = {
    status: null, // GET /api/vllm/swap
    models: [], // GET /api/vllm/models .models
    swap: null, // {id, model, previous, rollback_of, phase, progress, finished, tick}
    busy: false, // one of our requests is on its way
    gates: Object.fromEntries(GATES.map((g) => [g, null])), // action → refusal or null
    gateSeq: {},
    statusSeq: 0,
    modelsSeq: 0,
    tick: 0, // counts swap events, so an older status answer cannot end a newer swap
  };

  // --- the DOM -------------------------------------------------------------------------

  const modelText = h('span', { class: 'vllm-model', text: '…' });
  const localBadge = h('span', { class: 'kit-pill accent vllm-local-badge', text: 'local', hidden: true });
  // While a swap runs: its target and how long it has been going (not read out every
  // second: the progress section says the same without aria-live).
  const modelNote = h('span', { class: 'vllm-model-note muted small', hidden: true, 'aria-hidden': 'true' });
  const stateText = h('span', { class: 'vllm-state kit-pill', dataset: { state: 'unknown' }, text: '…' });
  const reasonRow = h('div', { class: 'fact vllm-reason', hidden: true });
  const reasonText = h('dd', { class: 'error' });
  reasonRow.append(h('dt', { text: 'Why' }), reasonText);
  // The /v1 proxy's traffic: requests and errors (5xx, 429) per second.
  const rateText = h('dd', { class: 'vllm-rate', text: '…' });
  const rateRow = h('div', { class: 'fact' }, h('dt', { text: 'Requests' }), rateText);
  const lastGoodRow = h('div', { class: 'fact', hidden: true });
  const lastGoodText = h('dd');
  lastGoodRow.append(h('dt', { text: 'Last good' }), lastGoodText);
  const summary = h(
    'dl',
    { class: 'fields vllm-summary', 'aria-live': 'polite' },
    h('div', { class: 'fact' }, h('dt', { text: 'Model' }), h('dd', { class: 'vllm-model-line' }, modelText, localBadge, modelNote)),
    h('div', { class: 'fact' }, h('dt', { text: 'State' }), h('dd', {}, stateText)),
    rateRow,
    reasonRow,
    lastGoodRow,
  );

  const guardButton = button('Clear guard', { dataset: { action: 'clear-guard' } });
  const guard = h(
    'div',
    { class: 'vllm-guard notice', role: 'alert', hidden: true },
    h('p', {
      text:
        'Crash-loop guard: automatic starts are blocked after repeated failed starts. ' +
        'Find out why the model failed before clearing it.',
    }),
    guardButton,
  );

  const selectId = `${uid}-model`;
  const refusalId = `${uid}-refusal`;
  const select = h('select', { id: selectId, class: 'vllm-select' });
  const swapButton = button('Swap', { dataset: { action: 'swap' } });
  const refusal = h('p', { id: refusalId, class: 'refusal small', hidden: true });
  const warnings = h('ul', { class: 'vllm-warnings small', hidden: true, 'aria-label': 'Catalog warnings' });
  const warningsMore = h('div', { class: 'vllm-more-box' });
  const picker = h(
    'div',
    { class: 'vllm-picker' },
    h('label', { for: selectId, text: 'Swap to' }),
    h('div', { class: 'vllm-picker-row' }, select, swapButton),
    refusal,
    warnings,
    warningsMore,
  );

  const progressTitle = h('h4', { class: 'vllm-progress-title' });
  const elapsedText = h('p', { class: 'vllm-elapsed small muted' });
  const phaseText = h('p', { class: 'vllm-phase small', role: 'status', 'aria-live': 'polite' });
  const barFill = h('span', { class: 'bar-fill' });
  const bar = h(
    'span',
    {
      class: 'bar vllm-bar',
      role: 'progressbar',
      'aria-label': 'Swap progress',
      'aria-valuemin': 0,
      'aria-valuemax': 100,
      'aria-valuenow': 0,
    },
    barFill,
  );
  const cancelButton = button('Cancel swap', { class: 'button danger', dataset: { action: 'cancel' } });
  const logBox = h('div', {
    class: 'vllm-log mono small',
    role: 'log',
    'aria-live': 'off',
    'aria-label': 'Swap log (last 200 lines)',
    tabindex: 0,
  });
  const logNote = h('p', { class: 'muted small', hidden: true });
  const progress = h(
    'section',
    { class: 'vllm-progress', hidden: true, 'aria-label': 'Swap in progress' },
    progressTitle,
    elapsedText,
    phaseText,
    bar,
    h('div', { class: 'actions' }, cancelButton),
    logNote,
    logBox,
  );

  const outcome = h('p', { class: 'vllm-outcome', role: 'status', 'aria-live': 'polite', hidden: true });
  // Why the last swap failed, and its rollback too if that failed as well.
  const failure = h('div', { class: 'vllm-failure notice', role: 'alert', hidden: true });

  const stopButton = button('Stop', { class: 'button danger', dataset: { action: 'stop' } });
  const restartButton = button('Restart', { dataset: { action: 'restart' } });
  const controls = h('div', { class: 'actions vllm-controls' }, stopButton, restartButton);
  const result = h('p', { class: 'result small', role: 'status', 'aria-live': 'polite' });

  const memoryTitleId = `${uid}-memory`;
  const memoryList = h('dl', { class: 'facts vllm-memory' });
  const memory = h(
    'section',
    { class: 'vllm-memory-box', 'aria-labelledby': memoryTitleId },
    h('h4', { id: memoryTitleId, text: 'Memory per node' }),
    memoryList,
  );
  const nodeRows = new Map();

  const addForm = localModelForm({
    ctx,
    uid,
    run: (label, send) => act(label, null, null, send),
    onAdded: (added) => {
      if (added?.id) state.select = added.id;
      refreshModels();
    },
  });
  const disk = diskView({ ctx, uid, act, onCatalogChanged: () => refreshModels() });

  container.append(
    h(
      'div',
      { class: 'vllm-tile' },
      summary,
      guard,
      outcome,
      failure,
      picker,
      addForm.element,
      progress,
      controls,
      result,
      memory,
      disk.element,
    ),
  );

  // --- drawing -------------------------------------------------------------------------

  function modelName(id) {
    if (!id) return null;
    const entry = state.models.find((m) => m.id === id);
    return entry?.display_name || id;
  }

  function say(text, outcomeKind = 'ok') {
    result.dataset.outcome = outcomeKind;
    result.textContent = text;
  }

  function renderStatus() {
    const status = state.status;
    if (!status) return;
    const word = STATES[status.state] ?? String(status.state ?? 'unknown');
    stateText.dataset.state = word;
    stateText.textContent = word;
    // A running swap: its target, not "none" (the old model is already gone).
    const target = swapRunning() ? state.swap.model : null;
    const shown = status.model ?? target;
    modelText.textContent = shown ? modelName(shown) : 'none';
    modelText.dataset.model = status.model ?? '';
    modelText.title = shown ?? '';
    localBadge.hidden = !state.models.find((m) => m.id === shown)?.local_path;
    renderElapsed();
    reasonRow.hidden = !status.reason;
    reasonText.textContent = status.reason ?? '';
    const lastGood = status.last_good_model;
    lastGoodRow.hidden = !lastGood || lastGood === status.model;
    lastGoodText.textContent = lastGood ? modelName(lastGood) : '';
    guard.hidden = !status.crash_loop_guard;
  }

  function renderModels(models, catalogWarnings) {
    const previous = select.value;
    state.models = models;
    const options = models.map((m) => {
      const name = m.local_path ? `${m.display_name} (local)` : m.display_name;
      const label = m.state && m.state !== 'available' ? `${name} — ${m.state}` : name;
      return h('option', { value: m.id, text: label, dataset: { state: m.state ?? '' } });
    });
    if (!options.length) options.push(h('option', { value: '', text: 'The catalog is empty' }));
    select.replaceChildren(...options);
    const wanted = state.select; // a model just added: offer it
    state.select = null;
    const keep = models.find((m) => m.id === wanted)?.id ?? models.find((m) => m.id === previous)?.id;
    const current = models.find((m) => m.state === 'running')?.id;
    select.value = keep ?? current ?? models[0]?.id ?? '';
    const items = (catalogWarnings ?? []).map((w) => h('li', { text: w }));
    warningsMore.replaceChildren(capItems(warnings, items, { cap: WARNINGS_SHOWN, one: 'warning', many: 'warnings' }) ?? '');
    warnings.hidden = !items.length;
    disk.setModels(models);
    renderStatus(); // display names may have arrived after the status
  }

  // A lock refusing several actions for one reason is said once per place.
  function renderGates() {
    const gates = state.gates;
    const text = refusalText({ swapping: gates[SWAP_GATE], stopping: gates[STOP_GATE] });
    refusal.hidden = !text;
    refusal.textContent = text;
    addForm.setRefusal(refusalText({ 'adding local models': gates[ADD_GATE] }));
    disk.setRefusals(
      { delete: gates[DISK_GATE], remove: gates[REMOVE_GATE] },
      refusalText({ 'deleting from disk': gates[DISK_GATE], 'removing local models': gates[REMOVE_GATE] }),
    );
  }

  function swapRunning() {
    return Boolean(state.swap && !state.swap.finished);
  }

  function sync() {
    const running = swapRunning();
    const swapRefused = Boolean(state.gates[SWAP_GATE]);
    swapButton.disabled = state.busy || running || swapRefused || !select.value;
    const restartable = state.status?.model || state.status?.last_good_model;
    restartButton.disabled = state.busy || running || swapRefused || !restartable;
    // Nothing to stop when vLLM is stopped ("down" may still leave a container behind).
    const stopped = state.status?.state === 'stopped';
    stopButton.disabled = state.busy || running || stopped || Boolean(state.gates[STOP_GATE]);
    cancelButton.disabled = state.busy || !running;
    cancelButton.hidden = !running;
    guardButton.disabled = state.busy;
    addForm.setBusy(state.busy);
    disk.setBusy(state.busy);
    describe(swapButton, swapRefused);
    describe(restartButton, swapRefused);
    describe(stopButton, Boolean(state.gates[STOP_GATE]));
  }

  function describe(target, refused) {
    if (refused) target.setAttribute('aria-describedby', refusalId);
    else target.removeAttribute('aria-describedby');
  }

  function renderProgress() {
    const swap = state.swap;
    progress.hidden = !swap;
    if (!swap) return;
    const target = modelName(swap.model);
    if (swap.finished) {
      progressTitle.textContent = swap.rollback_of ? `Rollback to ${target}` : `Swap to ${target}`;
    } else {
      progressTitle.textContent = swap.rollback_of ? `Rolling back to ${target}` : `Swapping to ${target}`;
    }
    const pct = percent(swap.progress);
    const phase = PHASES[swap.phase] ?? swap.phase ?? '';
    phaseText.textContent = `${phase} — ${pct}%`;
    phaseText.dataset.phase = swap.phase ?? '';
    bar.setAttribute('aria-valuenow', String(pct));
    bar.setAttribute('aria-valuetext', `${phase}, ${pct}%`);
    barFill.style.width = `${pct}%`;
    bar.dataset.outcome = swap.finished ? swap.outcome ?? '' : 'running';
    renderElapsed();
  }

  /** How long the swap has been going (or went): in the progress section and, while it
   * runs, beside the target in the summary. */
  function renderElapsed() {
    const swap = state.swap;
    const running = swapRunning();
    modelNote.hidden = !running;
    if (!swap) return;
    const end = swap.finishedAt ?? Date.now() / 1000;
    const took = duration(Math.max(0, end - swap.startedAt));
    elapsedText.textContent = swap.finished ? `Took ${took}` : `Elapsed: ${took}`;
    if (running) modelNote.textContent = `loading · ${took}`;
  }

  function appendLog(line) {
    const text = String(line).replace(ANSI, '');
    const atBottom = logBox.scrollHeight - logBox.scrollTop - logBox.clientHeight < 24;
    logBox.append(h('div', { class: 'vllm-log-line', text }));
    while (logBox.childElementCount > LOG_LINES) logBox.firstElementChild.remove();
    if (atBottom) logBox.scrollTop = logBox.scrollHeight;
  }

  function renderNode(name, facts) {
    let row = nodeRows.get(name);
    if (!row) {
      const fill = h('span', { class: 'bar-fill' });
      const meter = h(
        'span',
        { class: 'bar', role: 'meter', 'aria-label': `Memory used on ${name}`, 'aria-valuemin': 0, 'aria-valuemax': 100 },
        fill,
      );
      const text = h('span', { class: 'bar-text' });
      const item = h('div', { class: 'fact', dataset: { node: name } }, h('dt', { text: name }), h('dd', {}, meter, text));
      row = { item, meter, fill, text };
      nodeRows.set(name, row);
      memoryList.append(item);
    }
    const mem = facts?.memory;
    if (mem && mem.total_bytes > 0) {
      const used = Math.max(0, mem.total_bytes - mem.available_bytes);
      const pct = Math.min(100, Math.round((used / mem.total_bytes) * 100));
      const words = `${formatBytes(mem.available_bytes)} available of ${formatBytes(mem.total_bytes)}`;
      row.meter.hidden = false;
      row.meter.setAttribute('aria-valuenow', String(pct));
      row.meter.setAttribute('aria-valuetext', words);
      row.fill.style.width = `${pct}%`;
      row.text.textContent = words;
    } else {
      row.meter.hidden = true;
      row.text.textContent = facts ? 'not reported' : 'not read yet';
    }
  }

  // --- swaps, from events and answers ----------------------------------------------------

  /** Follow swap `data` ({swap_id, model, ...}); a swap already followed is left alone. */
  function follow(data, { fresh = false, time = null } = {}) {
    if (!data?.swap_id) return;
    if (state.swap?.id === data.swap_id) return;
    const rollback = Boolean(data.rollback_of);
    if (!rollback && fresh) {
      failure.hidden = true;
      outcome.hidden = true;
    }
    if (rollback && state.swap) {
      appendLog(`— rolling back to ${modelName(data.model)} —`);
    } else {
      logBox.replaceChildren();
    }
    logNote.hidden = fresh;
    logNote.textContent = fresh ? '' : 'The log below starts when this page began following the swap.';
    state.swap = {
      id: data.swap_id,
      model: data.model,
      previous: data.previous ?? null,
      rollback_of: data.rollback_of ?? null,
      phase: data.phase ?? 'queued',
      progress: data.progress ?? 0,
      finished: false,
      outcome: null,
      tick: state.tick,
      // The server's start time; the event's time or now when the answer has none.
      startedAt: Number(data.started_at) || Number(time) || Date.now() / 1000,
      finishedAt: null,
    };
    renderProgress();
    renderStatus();
    sync();
  }

  function finish(swapId, outcomeKind, phase) {
    const swap = state.swap;
    if (!swap || swap.id !== swapId) return;
    swap.finished = true;
    swap.finishedAt = Date.now() / 1000;
    swap.outcome = outcomeKind;
    swap.phase = phase;
    if (outcomeKind === 'complete') swap.progress = 1;
    // "Swap to X started." is old news now; the outcome says what happened.
    if (result.dataset.outcome === 'ok') say('', 'ok');
    renderProgress();
    sync();
  }

  function showOutcome(text) {
    outcome.hidden = false;
    outcome.textContent = text;
  }

  function onStarted({ data, time }) {
    state.tick += 1;
    follow(data, { fresh: true, time });
    refreshStatus();
    refreshModels();
  }

  function onPhase({ data, time }) {
    state.tick += 1;
    if (state.swap?.id !== data.swap_id) follow(data, { time });
    const swap = state.swap;
    if (!swap || swap.finished) return;
    swap.phase = data.phase;
    swap.progress = Math.max(Number(data.progress) || 0, Number(swap.progress) || 0);
    renderProgress();
  }

  function onLog({ data }) {
    state.tick += 1;
    if (state.swap?.id !== data.swap_id) follow(data);
    if (typeof data.line === 'string') appendLog(data.line);
  }

  function onComplete({ data }) {
    state.tick += 1;
    disk.refresh(); // a first swap to a model downloads it
    finish(data.swap_id, 'complete', 'ready');
    if (!data.rollback_of && !state.swap?.rollback_of) {
      showOutcome(`Swap complete: ${modelName(data.model)} is ready.`);
    }
    refreshStatus();
    refreshModels();
  }

  function onFailed({ data }) {
    state.tick += 1;
    const cancelled = data.reason === 'cancelled';
    const rollback = Boolean(state.swap?.id === data.swap_id && state.swap.rollback_of);
    finish(data.swap_id, cancelled ? 'cancelled' : 'failed', cancelled ? 'cancelled' : 'failed');
    const target = modelName(data.model);
    const what = rollback ? `The rollback to ${target}` : `The swap to ${target}`;
    if (!rollback) failure.replaceChildren();
    showFailure(data.swap_id, cancelled ? `${what} was cancelled.` : `${what} failed: ${data.reason ?? 'no reason given'}`, data.log_excerpt);
    outcome.hidden = true;
    refreshStatus();
    refreshModels();
  }

  function showFailure(swapId, text, logExcerpt) {
    const entry = h('div', { class: 'vllm-failure-entry', dataset: { swap: swapId ?? '' } });
    entry.append(h('p', { class: 'error vllm-failure-reason', text }));
    let excerpt = null;
    if (logExcerpt) {
      excerpt = h('pre', {
        class: 'vllm-excerpt mono small',
        tabindex: 0,
        'aria-label': 'Log excerpt, its end shown first',
        text: String(logExcerpt).replace(ANSI, ''),
      });
      const details = h('details', { class: 'vllm-details', open: true }, h('summary', { text: 'Log excerpt' }), excerpt);
      // The line that matters is at the end: open it there (and again when reopened).
      details.addEventListener('toggle', () => details.open && toEnd(excerpt));
      entry.append(details);
    }
    failure.append(entry);
    failure.hidden = false;
    if (excerpt) toEnd(excerpt);
    // The live log of the failed swap too.
    toEnd(logBox);
  }

  function toEnd(box) {
    box.scrollTop = box.scrollHeight;
  }

  /** After a (re)load: why the model last failed, from the swap history, so the guard's
   * banner ("find out why") and a "down" state come with their reason and log tail. */
  async function showLastFailure() {
    let swaps;
    try {
      swaps = (await ctx.api.get('/api/vllm/swap/history?limit=10')).swaps ?? [];
    } catch {
      return; // the state line still says what is known
    }
    if (!alive || !failure.hidden) return; // a live event got there first
    const ended = swaps.filter((s) => s.state !== 'running');
    const newest = ended[0];
    if (!newest) return;
    // The newest swap failed, or was a rollback after a failure: show the failure(s).
    const shown = [];
    if (newest.state === 'failed' || newest.state === 'cancelled') shown.push(newest);
    if (newest.rollback_of) {
      const original = swaps.find((s) => s.id === newest.rollback_of);
      if (original) shown.unshift(original);
    }
    if (!shown.length && state.status?.crash_loop_guard) {
      const lastFailed = ended.find((s) => s.state === 'failed');
      if (lastFailed) shown.push(lastFailed);
    }
    for (const swap of shown) {
      if (swap.state === 'complete') continue;
      const target = modelName(swap.model);
      const what = swap.rollback_of ? `The rollback to ${target}` : `The swap to ${target}`;
      const when = swap.finished_at ? ` (${new Date(swap.finished_at * 1000).toLocaleString()})` : '';
      const text =
        swap.state === 'cancelled'
          ? `${what} was cancelled${when}.`
          : `${what} failed${when}: ${swap.reason ?? 'no reason given'}`;
      showFailure(swap.id, text, swap.log_excerpt);
    }
  }

  function onRolledBack({ data }) {
    const restored = modelName(data.restored ?? data.model);
    showOutcome(`Rolled back: ${restored} was restored and is ready again.`);
    refreshStatus();
  }

  // --- fetching ----------------------------------------------------------------------------

  async function refreshStatus() {
    const seq = ++state.statusSeq;
    const tick = state.tick;
    let status;
    try {
      status = await ctx.api.get('/api/vllm/swap');
    } catch (error) {
      if (seq !== state.statusSeq || !alive) return;
      stateText.dataset.state = 'unknown';
      stateText.textContent = `unavailable: ${errorText(error)}`;
      return;
    }
    if (seq !== state.statusSeq || !alive) return;
    state.status = status;
    const running = status.swap;
    if (running && running.state === 'running') {
      if (state.swap?.id !== running.id) {
        follow({ swap_id: running.id, ...running }, { fresh: false });
      } else if (!state.swap.finished) {
        state.swap.phase = running.phase;
        state.swap.progress = Math.max(running.progress ?? 0, state.swap.progress ?? 0);
        renderProgress();
      }
    } else if (swapRunning() && state.swap.tick <= tick) {
      // It ended while this page was not listening (the stream dropped events).
      finish(state.swap.id, status.state === 'ready' ? 'complete' : 'ended', status.state === 'ready' ? 'ready' : 'ended');
    }
    renderStatus();
    sync();
  }

  async function refreshModels() {
    const seq = ++state.modelsSeq;
    try {
      const answer = await ctx.api.get('/api/vllm/models');
      if (seq !== state.modelsSeq || !alive) return;
      renderModels(answer.models ?? [], answer.warnings ?? []);
    } catch (error) {
      if (seq !== state.modelsSeq || !alive) return;
      warnings.hidden = false;
      warnings.replaceChildren(h('li', { class: 'error', text: `Could not load the catalog: ${errorText(error)}` }));
    }
    sync();
  }

  async function refreshNodes() {
    try {
      const nodes = await ctx.api.get('/api/nodes');
      if (!alive) return;
      for (const node of nodes ?? []) renderNode(node.name, node.facts ?? null);
    } catch (error) {
      if (!alive) return;
      if (!nodeRows.size) memoryList.replaceChildren(h('p', { class: 'error small', text: `Could not read the nodes: ${errorText(error)}` }));
    }
  }

  async function askGate(action) {
    const seq = (state.gateSeq[action] = (state.gateSeq[action] ?? 0) + 1);
    let refused = null;
    try {
      const answer = await ctx.api.get(`/api/gates/${encodeURIComponent(action)}`);
      refused = answer?.allowed ? null : answer?.refusal ?? { reason: 'refused' };
    } catch (error) {
      refused = { reason: `could not ask the gate: ${errorText(error)}` };
    }
    if (seq !== state.gateSeq[action] || !alive) return;
    state.gates[action] = refused;
    renderGates();
    sync();
  }

  async function refreshRate() {
    try {
      const stats = await ctx.api.get('/api/vllm/proxy');
      if (!alive) return;
      const errors = stats.errors_per_s ?? 0;
      rateText.textContent = `${stats.requests_per_s ?? 0}/s · ${errors} errors/s`;
      rateText.classList.toggle('error', errors > 0);
      rateText.title = `Over the last ${stats.window_s ?? 10} s, through /v1`;
    } catch (error) {
      if (alive) rateText.textContent = `unavailable: ${errorText(error)}`;
    }
  }

  function refreshAll() {
    return Promise.all([
      refreshModels().then(refreshStatus),
      refreshNodes(),
      refreshRate(),
      disk.refresh(),
      ...GATES.map(askGate),
    ]);
  }

  // --- actions -------------------------------------------------------------------------------

  /** Ask `confirmText` (if any, with `detail` under it) with a button `confirmLabel`
   * (red unless `danger` is false), then `send()`; the words it returns, if any, go to
   * the result line. */
  async function act(label, confirmText, confirmLabel, send, { danger = true, detail = null } = {}) {
    if (confirmText && !(await ctx.confirm(confirmText, confirmLabel, { danger, detail }))) {
      say(`${label}: cancelled, nothing was sent.`, 'cancelled');
      return;
    }
    state.busy = true;
    sync();
    say(`${label}: sending…`, 'pending');
    try {
      const words = await send();
      if (typeof words === 'string') say(words);
    } catch (error) {
      say(`${label} failed: ${errorText(error)}`, 'error');
      if (error?.status === 423 || error?.status === 503) GATES.forEach(askGate);
      if (error?.status === 409) refreshStatus();
    } finally {
      state.busy = false;
      sync();
    }
  }

  function adoptAnswer(answer) {
    if (answer && typeof answer.id === 'string' && answer.id) {
      follow({ swap_id: answer.id, ...answer }, { fresh: true });
      return true;
    }
    if (answer && typeof answer.state === 'string') {
      state.status = answer;
      renderStatus();
    }
    return false;
  }

  /** The swap's plan (POST /api/vllm/swap?dry_run=true, or a slot's: nothing changes)
   * for the confirmation, or a note saying why it could not be had. */
  async function swapPlan(id, slot = null) {
    try {
      return planView(await ctx.api.post(swapPath(slot, true), { model: id }), modelName);
    } catch (error) {
      return planMissing(errorText(error));
    }
  }

  /** The swap route of `slot` (null: the default slot's old route). */
  function swapPath(slot, dryRun = false) {
    const path = slot ? `/api/vllm/slots/${encodeURIComponent(slot)}/swap` : '/api/vllm/swap';
    return dryRun ? `${path}?dry_run=true` : path;
  }

  /** The slots (GET /api/vllm/slots) when there are several, else []. */
  async function pickableSlots() {
    try {
      const rows = (await ctx.api.get('/api/vllm/slots')).slots ?? [];
      return rows.length > 1 ? rows : [];
    } catch {
      return []; // the default slot's confirmation, as before
    }
  }

  /** With several slots the confirmation lets the user pick one and shows that slot's
   * plan; `pick.slot` is the one chosen when the user confirms. */
  async function slotChoice(id, slots, pick) {
    const holder = h('div', { class: 'vllm-plan-holder' }, await swapPlan(id, pick.slot));
    const options = slots.map((row) =>
      h('option', {
        value: row.name,
        text: `${row.name} (${row.head_node}; ${row.model ? `now ${modelName(row.model)}` : 'empty'})`,
      }),
    );
    const picker = h('select', { class: 'vllm-slot-picker', name: 'slot' }, options);
    picker.value = pick.slot;
    picker.addEventListener('change', async () => {
      const slot = picker.value;
      pick.slot = slot;
      holder.replaceChildren(h('p', { class: 'vllm-plan-loading', text: `Reading the plan for slot ${slot}…` }));
      const view = await swapPlan(id, slot);
      if (pick.slot === slot) holder.replaceChildren(view); // a later pick wins
    });
    return h('div', { class: 'vllm-slot-choice' }, h('label', {}, 'Slot ', picker), holder);
  }

  swapButton.addEventListener('click', async () => {
    const id = select.value;
    if (!id || planning) return;
    const target = modelName(id);
    const currentId = state.status?.model;
    const current = modelName(currentId);
    let text;
    if (currentId && currentId !== id) {
      text = `Swap the cluster to ${target}? The current model ${current} stops; requests fail until ${target} is ready (usually a few minutes).`;
    } else if (currentId === id) {
      text = `Swap the cluster to ${target}? It is the current model: if it answers, nothing changes; if not, it is started again and requests fail until it is ready (usually a few minutes).`;
    } else {
      text = `Swap the cluster to ${target}? No model is loaded now; requests fail until ${target} is ready (usually a few minutes).`;
    }
    planning = true;
    swapButton.setAttribute('aria-busy', 'true');
    say(`Swap: reading the plan for ${target}…`, 'pending');
    const slots = await pickableSlots();
    const pick = { slot: slots.length ? slots[0].name : null };
    const detail = slots.length ? await slotChoice(id, slots, pick) : await swapPlan(id);
    planning = false;
    swapButton.removeAttribute('aria-busy');
    act(
      'Swap',
      text,
      'Swap',
      async () => {
        const answer = await ctx.api.post(swapPath(pick.slot), { model: id });
        refreshModels();
        return adoptAnswer(answer)
          ? `Swap to ${target} started.`
          : `${target} is already loaded and answering: nothing to do.`;
      },
      { danger: false, detail },
    );
  });

  cancelButton.addEventListener('click', () => {
    const swap = state.swap;
    if (!swap || swap.finished) return;
    const target = modelName(swap.model);
    // The server rolls a cancelled swap back once, to the model it replaced (or the
    // last good one), unless this is the rollback or the crash-loop guard is tripped.
    const rollsBack = !swap.rollback_of && !state.status?.crash_loop_guard;
    const back = rollsBack ? swap.previous ?? state.status?.last_good_model ?? null : null;
    const after =
      back && back !== swap.model
        ? `the cluster then goes back to ${modelName(back)} (requests fail until it is ready)`
        : 'vLLM then stays stopped until you start a model';
    const text = `Cancel the swap to ${target}? Its load stops at once and ${after}.`;
    act('Cancel', text, 'Cancel swap', async () => {
      await ctx.api.del(`/api/vllm/swap/${encodeURIComponent(swap.id)}`);
      say(`The swap to ${target} was cancelled.`);
    });
  });

  stopButton.addEventListener('click', () => {
    const current = modelName(state.status?.model);
    const text = current
      ? `Stop vLLM on the cluster? ${current} stops and every request to it fails until a model is started again.`
      : 'Stop vLLM on the cluster? Whatever vLLM container runs is stopped; requests fail until a model is started again.';
    act('Stop', text, 'Stop', async () => {
      adoptAnswer(await ctx.api.post('/api/vllm/stop'));
      say('vLLM stopped.');
      refreshModels();
    });
  });

  restartButton.addEventListener('click', () => {
    const id = state.status?.model ?? state.status?.last_good_model;
    if (!id) return;
    const name = modelName(id);
    const text = `Restart ${name}? It stops and loads again; requests fail until it is ready (usually a few minutes).`;
    act(
      'Restart',
      text,
      'Restart',
      async () => {
        adoptAnswer(await ctx.api.post('/api/vllm/restart'));
        return `Restarting ${name}.`;
      },
      { danger: false },
    );
  });

  guardButton.addEventListener('click', () => {
    const text =
      'Clear the crash-loop guard? Automatic starts (rollbacks, on-demand swaps) are allowed again. ' +
      'Repeated failed starts have leaked memory on these nodes until a reboot: clear it only once the cause is fixed.';
    act(
      'Clear guard',
      text,
      'Clear guard',
      async () => {
        adoptAnswer(await ctx.api.post('/api/vllm/crash-loop-guard/clear'));
        return 'The crash-loop guard is cleared.';
      },
      { danger: false },
    );
  });

  select.addEventListener('change', sync);

  // --- events --------------------------------------------------------------------------------

  ctx.on('vllm.swap_started', onStarted);
  ctx.on('vllm.swap_phase', onPhase);
  ctx.on('vllm.swap_log', onLog);
  ctx.on('vllm.swap_complete', onComplete);
  ctx.on('vllm.swap_failed', onFailed);
  ctx.on('vllm.swap_rolled_back', onRolledBack);
  // The state settled (a swap and its rollback ended, the guard was cleared, or the
  // gateway found the cluster changed): the event carries GET /api/vllm/swap's answer.
  ctx.on('vllm.state_changed', ({ data }) => {
    state.statusSeq += 1; // an answer still on its way is older than this
    if (data && typeof data.state === 'string') {
      state.status = data;
      if (!data.swap && swapRunning()) {
        finish(state.swap.id, data.state === 'ready' ? 'complete' : 'ended', data.state === 'ready' ? 'ready' : 'ended');
      }
      renderStatus();
      sync();
    }
    refreshModels();
  });
  ctx.on('nodes.facts', ({ data }) => {
    if (data?.node) renderNode(data.node, data.facts ?? null);
  });
  ctx.on('gate.changed', ({ data }) => {
    const action = data?.action;
    for (const gate of GATES) if (action === '*' || action === gate) askGate(gate);
  });
  ctx.on('vllm.model_added', () => refreshModels());
  ctx.on('vllm.model_removed', () => refreshModels());
  ctx.on('vllm.disk_deleted', () => disk.refresh());
  ctx.on('health.changed', ({ data }) => {
    if (ctx.tile.status_probe && data?.probe === ctx.tile.status_probe) refreshStatus();
  });
  ctx.on('stream.reset', () => refreshAll());

  sync();
  await refreshAll();
  await showLastFailure();
  const rateTimer = setInterval(refreshRate, RATE_POLL_MS);
  const clockTimer = setInterval(() => swapRunning() && renderElapsed(), 1000);
  return () => {
    alive = false;
    clearInterval(rateTimer);
    clearInterval(clockTimer);
  };
}
