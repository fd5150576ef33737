// The matrix_bridge plugin's tile: one per bot (the tile id is "matrix_bridge.<bot>").
//
// Shows the bot's badge (its container's Docker state, and Docker's health status when
// the image has a HEALTHCHECK), where it runs, and the actions: Update (fetch +
// fast-forward, rebuild, restart; its phases and output stream in live), Restart,
// Stop / Start, and View logs (the last lines, optionally followed live). Stop, Restart
// and Update ask first, in plain English. Plain DOM only: every value from the
// gateway goes in as text, never as markup.
//
// Sources: GET /api/matrix_bridge/{bot} and .../update, GET /api/gates/{action} (a
// refused action's button pauses and says why); events matrix_bridge.status,
// matrix_bridge.update_*, gate.changed and stream.reset (refetch); logs follow through
// an EventSource on .../logs?follow=true.

import { errorText, h, loadStyles } from '/ui/kit/index.js';

const LOG_LINES = 200;
const FOLLOW_KEEP = 500;
const PHASES = [
  ['fetching', 'Fetching'],
  ['building', 'Building'],
  ['restarting', 'Restarting'],
  ['done', 'Done'],
];

/** The badge's colour state: green running, amber on the way, red down. */
function tone(status) {
  if (!status) return 'unknown';
  const { state, health } = status;
  if (state === 'running') {
    if (health === 'unhealthy') return 'down';
    if (health === 'starting') return 'degraded';
    return 'ok';
  }
  if (state === 'restarting' || state === 'created' || state === 'paused') return 'degraded';
  if (state === 'unknown') return 'unknown';
  return 'down';
}

function minutes(seconds) {
  const value = Number(seconds);
  if (!Number.isFinite(value)) return 'a while';
  return value >= 120 ? `${Math.round(value / 60)} minutes` : `${Math.round(value)} seconds`;
}

export default async function mount(container, ctx) {
  loadStyles(new URL('matrix-bridge-tile.css', import.meta.url));
  const name = ctx.tile.id.slice(ctx.tile.id.indexOf('.') + 1);
  const base = `/api/matrix_bridge/${encodeURIComponent(name)}`;
  let bot = null;
  let update = null; // the running or last update: {id, state, phase, failed_phase, ...}
  let busy = false;
  let follow = null; // the EventSource of a followed log
  const gates = {}; // verb → refusal or null
  const gateSeq = {};

  // --- the DOM -------------------------------------------------------------------------

  const badgeText = h('span', { class: 'status-text', text: 'checking…' });
  const badge = h(
    'span',
    { class: 'status mb-badge', dataset: { state: 'unknown', docker: 'unknown' }, role: 'status' },
    h('span', { class: 'dot', 'aria-hidden': 'true' }),
    badgeText,
  );
  const badgeDetail = h('p', { class: 'detail small', hidden: true });
  const where = h('dl', { class: 'fields mb-where' });

  // Red only for Stop: an update restarts the bot on a newer checkout, it destroys nothing.
  const updateButton = h('button', { type: 'button', class: 'button', text: 'Update', dataset: { action: 'update' } });
  const restartButton = h('button', { type: 'button', class: 'button', text: 'Restart', dataset: { action: 'restart' } });
  const stopButton = h('button', { type: 'button', class: 'button danger', text: 'Stop', dataset: { action: 'stop' } });
  const startButton = h('button', { type: 'button', class: 'button', text: 'Start', dataset: { action: 'start' } });
  const logsButton = h('button', { type: 'button', class: 'button', text: 'View logs', 'aria-expanded': 'false', dataset: { action: 'logs' } });
  const actions = h('div', { class: 'actions' }, updateButton, restartButton, stopButton, startButton, logsButton);
  const result = h('p', { class: 'result', 'aria-live': 'polite' });
  const refusal = h('p', { class: 'refusal small', role: 'status', hidden: true });

  const steps = h('ol', { class: 'mb-phases', 'aria-label': 'Update phases' },
    PHASES.map(([key, label]) => h('li', { dataset: { phase: key, step: 'pending' }, text: label })));
  const outcome = h('p', { class: 'mb-outcome', role: 'status' });
  const excerpt = h('pre', { class: 'mb-excerpt mono small', hidden: true });
  const output = h('pre', { class: 'mb-output mono small', tabindex: '0', 'aria-label': 'Update output' });
  // The whole output folds away once an update ended: the outcome (and, on failure,
  // the excerpt of the failing phase) is what matters then.
  const outputBox = h('details', { class: 'mb-output-box', open: true }, h('summary', { class: 'small', text: 'Output' }), output);
  const updatePanel = h('section', { class: 'mb-update', hidden: true, 'aria-label': 'Update' },
    steps, outcome, excerpt, outputBox);

  const followToggle = h('input', { type: 'checkbox', class: 'mb-follow' });
  const logsOutput = h('pre', { class: 'mb-logs mono small', tabindex: '0', 'aria-label': 'Container logs' });
  const logsPanel = h('section', { class: 'mb-logs-panel', hidden: true, 'aria-label': 'Logs' },
    h('label', { class: 'small' }, followToggle, ' Follow live'), logsOutput);

  container.append(h('div', { class: 'mb-head' }, badge), badgeDetail, where, actions, refusal, result, updatePanel, logsPanel);

  // --- drawing -------------------------------------------------------------------------

  function showStatus(status) {
    badge.dataset.state = tone(status);
    badge.dataset.docker = status?.state ?? 'unknown';
    badgeText.textContent = status ? status.label : 'unknown';
    badgeDetail.hidden = !status?.detail || status.state === 'running';
    badgeDetail.textContent = status?.detail ?? '';
    const running = status?.state === 'running' || status?.state === 'restarting';
    stopButton.hidden = !running;
    startButton.hidden = running || status?.state === 'missing';
    syncButtons();
  }

  function showWhere() {
    where.replaceChildren(
      ...[
        ['Runs on', `${bot.node} as ${bot.user}`],
        ['Container', bot.container],
        ['Checkout', `${bot.folder} (${bot.branch})`],
      ].map(([label, value]) => h('div', { class: 'fact' }, h('dt', { text: label }), h('dd', { text: value }))),
    );
  }

  const buttons = { update: updateButton, restart: restartButton, stop: stopButton, start: startButton };

  function syncButtons() {
    const updating = update?.state === 'running';
    for (const [verb, button] of Object.entries(buttons)) {
      button.disabled = busy || updating || Boolean(gates[verb]);
    }
    const reasons = [...new Set(Object.values(gates).filter(Boolean).map((r) => r.reason))];
    refusal.hidden = reasons.length === 0;
    refusal.textContent = reasons.length ? `Paused: ${reasons.join('; ')}` : '';
  }

  async function askGate(verb) {
    const seq = (gateSeq[verb] = (gateSeq[verb] ?? 0) + 1);
    let refused = null;
    try {
      const params = new URLSearchParams({ bot: name, node: bot?.node ?? '', container: bot?.container ?? '' });
      const answer = await ctx.api.get(`/api/gates/matrix_bridge.${verb}?${params}`);
      refused = answer?.allowed ? null : answer?.refusal ?? { reason: 'refused' };
    } catch (error) {
      refused = { reason: `could not ask the gate: ${errorText(error)}` };
    }
    if (seq !== gateSeq[verb]) return;
    gates[verb] = refused;
    syncButtons();
  }

  const askGates = () => Promise.all(Object.keys(buttons).map(askGate));

  function showPhase(phase, failedPhase) {
    updatePanel.hidden = false;
    const at = PHASES.findIndex(([key]) => key === (failedPhase ?? phase));
    PHASES.forEach(([key], index) => {
      const item = steps.children[index];
      let step = 'pending';
      if (failedPhase && key === failedPhase) step = 'failed';
      else if (phase === 'done' || (at >= 0 && index < at)) step = 'done';
      else if (key === phase) step = 'current';
      item.dataset.step = step;
      if (step === 'current') item.setAttribute('aria-current', 'step');
      else item.removeAttribute('aria-current');
    });
  }

  function appendOutput(target, lines, keep) {
    const atEnd = target.scrollTop + target.clientHeight >= target.scrollHeight - 4;
    const text = (target.textContent ? `${target.textContent}\n` : '') + lines.join('\n');
    const kept = text.split('\n');
    target.textContent = kept.slice(-keep).join('\n');
    if (atEnd) target.scrollTop = target.scrollHeight;
  }

  function showUpdate(data, { withLines = true } = {}) {
    update = data;
    syncButtons();
    if (!data) return;
    showPhase(data.state === 'failed' ? 'failed' : data.phase, data.failed_phase ?? (data.state === 'failed' ? 'fetching' : null));
    if (withLines && Array.isArray(data.lines)) {
      output.textContent = '';
      appendOutput(output, data.lines.map((line) => line.text), LOG_LINES);
    }
    outputBox.open = data.state === 'running';
    if (data.state !== 'running' && result.textContent === 'Update started.') result.textContent = '';
    if (data.state === 'running') {
      outcome.dataset.outcome = 'running';
      outcome.textContent = `Updating (${data.phase})…`;
      excerpt.hidden = true;
    } else if (data.state === 'done') {
      outcome.dataset.outcome = 'done';
      const moved = data.from_commit && data.to_commit && data.from_commit !== data.to_commit;
      outcome.textContent = moved
        ? `Updated ${data.from_commit.slice(0, 7)} → ${data.to_commit.slice(0, 7)} and restarted.`
        : 'Already up to date; rebuilt and restarted.';
      excerpt.hidden = true;
    } else {
      outcome.dataset.outcome = 'failed';
      outcome.textContent = `Update failed${data.failed_phase ? ` while ${data.failed_phase}` : ''}: ${data.reason ?? 'unknown reason'}`;
      excerpt.hidden = !data.excerpt;
      excerpt.textContent = data.excerpt ?? '';
      excerpt.scrollTop = excerpt.scrollHeight; // the failing lines are at its end
    }
  }

  // --- loading -------------------------------------------------------------------------

  async function load() {
    bot = await ctx.api.get(base);
    showWhere();
    showStatus(bot.status);
    if (!bot.status) showStatus(await ctx.api.get(`${base}/status`));
    if (bot.update) showUpdate(await ctx.api.get(`${base}/update`));
    await askGates();
  }

  // --- actions -------------------------------------------------------------------------

  async function act(button, verb, question, label) {
    if (question && !(await ctx.confirm(question, label))) return;
    busy = true;
    syncButtons();
    result.classList.remove('error');
    result.textContent = `${button.textContent}…`;
    try {
      if (verb === 'update') {
        output.textContent = '';
        showUpdate(await ctx.api.post(`${base}/update`));
        result.textContent = 'Update started.';
      } else {
        const status = await ctx.api.post(`${base}/${verb}`);
        showStatus(status);
        result.textContent = `${button.textContent}: done, the bot is ${status.label}.`;
      }
    } catch (error) {
      result.classList.add('error');
      result.textContent = errorText(error);
      if (error?.detail?.status) showStatus(error.detail.status);
    } finally {
      busy = false;
      syncButtons();
    }
  }

  const capText = () => minutes(bot?.update_time_cap_s);
  updateButton.addEventListener('click', () =>
    act(updateButton, 'update',
      `Update ${bot.title}? This fetches the latest "${bot.branch}" branch into ${bot.folder} on ` +
      `${bot.node}, rebuilds the bot's image and restarts its container: the bot is offline for ` +
      `a moment while it restarts. It can take several minutes; it is stopped after ${capText()}.`,
      'Update'));
  restartButton.addEventListener('click', () =>
    act(restartButton, 'restart',
      `Restart ${bot.title}? Its container ${bot.container} on ${bot.node} restarts; the bot ` +
      'misses messages for a few seconds.',
      'Restart'));
  stopButton.addEventListener('click', () =>
    act(stopButton, 'stop',
      `Stop ${bot.title}? Its container ${bot.container} on ${bot.node} stops, and the bot stops ` +
      'answering in its rooms until someone presses Start.',
      'Stop'));
  startButton.addEventListener('click', () => act(startButton, 'start', null, null));

  // --- logs ----------------------------------------------------------------------------

  function stopFollowing() {
    if (follow) follow.close();
    follow = null;
  }

  async function showLogs() {
    stopFollowing();
    logsOutput.textContent = 'Loading…';
    try {
      if (followToggle.checked) {
        logsOutput.textContent = '';
        follow = new EventSource(`${base}/logs?follow=true&lines=${LOG_LINES}`);
        follow.addEventListener('line', (event) => appendOutput(logsOutput, [JSON.parse(event.data).text], FOLLOW_KEEP));
        follow.addEventListener('end', (event) => {
          appendOutput(logsOutput, [`— ${JSON.parse(event.data).reason} —`], FOLLOW_KEEP);
          stopFollowing();
          followToggle.checked = false;
        });
      } else {
        const logs = await ctx.api.get(`${base}/logs?lines=${LOG_LINES}`);
        logsOutput.textContent = logs.lines.join('\n') || '(no output yet)';
        logsOutput.scrollTop = logsOutput.scrollHeight;
      }
    } catch (error) {
      logsOutput.textContent = errorText(error);
    }
  }

  logsButton.addEventListener('click', () => {
    const open = logsPanel.hidden;
    logsPanel.hidden = !open;
    logsButton.setAttribute('aria-expanded', String(open));
    logsButton.textContent = open ? 'Hide logs' : 'View logs';
    if (open) showLogs();
    else stopFollowing();
  });
  followToggle.addEventListener('change', showLogs);

  // --- live ----------------------------------------------------------------------------

  const mine = (event) => event.data?.bot === name;
  ctx.on('matrix_bridge.status', (event) => { if (mine(event)) showStatus(event.data.status); });
  ctx.on('matrix_bridge.update_started', (event) => {
    if (!mine(event)) return;
    output.textContent = '';
    showUpdate({ id: event.data.update_id, bot: name, state: 'running', phase: 'queued' }, { withLines: false });
  });
  ctx.on('matrix_bridge.update_phase', (event) => {
    if (!mine(event) || event.data.update_id !== update?.id) return;
    showUpdate({ ...update, phase: event.data.phase }, { withLines: false });
  });
  ctx.on('matrix_bridge.update_output', (event) => {
    if (!mine(event) || event.data.update_id !== update?.id) return;
    appendOutput(output, event.data.lines, LOG_LINES);
  });
  ctx.on('matrix_bridge.update_done', (event) => {
    if (!mine(event) || event.data.update_id !== update?.id) return;
    showUpdate({ ...update, state: 'done', phase: 'done', ...event.data }, { withLines: false });
  });
  ctx.on('matrix_bridge.update_failed', (event) => {
    if (!mine(event) || event.data.update_id !== update?.id) return;
    showUpdate({ ...update, state: 'failed', phase: 'failed', ...event.data }, { withLines: false });
  });
  ctx.on('gate.changed', ({ data }) => {
    const action = data?.action ?? '';
    if (action === '*') askGates();
    else if (action.startsWith('matrix_bridge.') && buttons[action.slice(14)]) askGate(action.slice(14));
  });
  ctx.on('stream.reset', () => load());

  await load();
  return () => stopFollowing();
}
