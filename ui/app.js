// The dashboard shell: loads nodes, health, plugins and tiles, then keeps them live
// from the one event stream. Everything from the gateway is inserted as text.

import { createKeys, currentSession, showAccount, showSignIn } from './access.js';
import { api } from './api.js';
import { overallState } from './dom.js';
import { h, setStatus } from './kit/index.js';
import { createEvents } from './events.js';
import { createHealth } from './health.js';
import { createNodes } from './nodes.js';
import { createConnectivity } from './connectivity.js';
import { createCharts, createMoreCharts, createProblems } from './overview.js';
import { createTiles } from './tiles.js';

const $ = (id) => document.getElementById(id);

const state = { probes: {}, nodes: [] };
const problems = createProblems($('problems'), $('overall'), $('problems-more'));
const overall = $('overall').querySelector('.status');
const connection = $('connection');
const announcer = $('announcer');

const events = createEvents({
  onStatus(status) {
    connection.dataset.connection = status;
    connection.textContent = status === 'live' ? 'Live' : 'Reconnecting…';
  },
  onReopen: () => loadAll(),
  // A stream the gateway refused may mean the sign-in ended: then ask for a key again.
  async shouldRetry() {
    const session = await currentSession();
    if (session.keys_required && !session.signed_in) {
      window.location.reload();
      return false;
    }
    return true;
  },
});
const nodes = createNodes($('nodes'));
const health = createHealth($('health'));
const tiles = createTiles($('tiles'), events);
const connectivity = createConnectivity($('connectivity'), $('connectivity-log'), $('connectivity-more'));
createMoreCharts($('more-charts'), $('more-charts-body'));
const charts = createCharts($('charts'), (node, series) => nodes.setHistory(node, series));

function announce(text) {
  announcer.textContent = text;
}

// The pill and the problem list come from GET /api/problems, asked again shortly after
// a change (changes come in bursts); until it answers, the pill follows the probes.
let problemsTimer = null;

async function loadProblems() {
  try {
    const answer = await api.get('/api/problems');
    problems.render(answer);
    tiles.setBadgeProbes(answer.tiles, state.probes);
  } catch (error) {
    sectionError($('problems'), 'problems', error);
  }
}

function showOverall() {
  setStatus(overall, overallState(Object.values(state.probes).map((p) => p.state)));
  clearTimeout(problemsTimer);
  problemsTimer = setTimeout(loadProblems, 250);
}

function sectionError(container, what, error) {
  container.replaceChildren(h('p', { class: 'error', role: 'alert', text: `Could not load ${what}: ${error.message}` }));
}

function showPlugins(plugins) {
  const notice = $('plugin-notice');
  const broken = plugins.filter((p) => p.status === 'failed' || p.started === false);
  notice.hidden = broken.length === 0;
  $('plugin-problems').replaceChildren(
    ...broken.map((p) =>
      h(
        'li',
        { dataset: { plugin: p.name } },
        h('strong', { text: p.name }),
        ` ${p.status === 'failed' ? 'failed' : 'did not start'}: `,
        p.reason ?? 'no reason given',
      ),
    ),
  );
}

// Health changes that arrive while a load is in flight, per load: its snapshot may be
// older than they are, and must not paint over them.
const loading = new Set();

function newerChanges(probes, changes) {
  for (const [name, { data, time }] of changes) {
    // `since` is when the snapshot's state began; a change from before it is stale.
    if (time >= (probes[name]?.since ?? 0)) probes[name] = { ...probes[name], ...data };
  }
  return probes;
}

async function loadAll() {
  const changes = new Map();
  loading.add(changes);
  const [healthR, nodesR, pluginsR, tilesR] = await Promise.allSettled([
    api.get('/api/health'),
    api.get('/api/nodes'),
    api.get('/api/plugins'),
    api.get('/api/ui/tiles'),
  ]).finally(() => loading.delete(changes));
  if (healthR.status === 'fulfilled') {
    state.probes = newerChanges(healthR.value.probes ?? {}, changes);
    health.render(state.probes);
    showOverall();
  } else sectionError($('health'), 'health', healthR.reason);
  if (nodesR.status === 'fulfilled') {
    state.nodes = nodesR.value;
    nodes.render(state.nodes, state.probes);
  } else sectionError($('nodes'), 'nodes', nodesR.reason);
  if (pluginsR.status === 'fulfilled') showPlugins(pluginsR.value);
  if (tilesR.status === 'fulfilled') await tiles.render(tilesR.value.tiles ?? [], state.probes);
  else sectionError($('tiles'), 'tiles', tilesR.reason);
  await Promise.allSettled([
    loadProblems(),
    nodesR.status === 'fulfilled' ? charts.show(state.nodes.map((n) => n.name)) : null,
  ]);
}

events.on('health.changed', ({ data, time }) => {
  const name = data.probe;
  for (const changes of loading) changes.set(name, { data, time });
  const before = overall.dataset.state;
  state.probes[name] = { ...state.probes[name], ...data };
  health.change(name, state.probes[name], state.probes);
  connectivity.add(data);
  if (name.startsWith('node:')) nodes.setState(name.slice(5), data.state, data.detail);
  tiles.setHealth(state.probes);
  showOverall();
  const after = overall.dataset.state;
  announce(`${name} is ${data.state}${after !== before ? `; overall health is ${after}` : ''}`);
});
events.on('nodes.facts', ({ data }) => {
  nodes.setFacts(data.node, data.facts);
  if (data.facts?.errors?.length) showOverall();
});
events.on('gate.changed', ({ data }) => tiles.gateChanged(data.action));
events.on('stream.reset', () => loadAll());

async function start() {
  const session = await currentSession();
  if (session.keys_required && !session.signed_in) {
    connection.hidden = true;
    $('overall').hidden = true;
    showSignIn();
    document.body.dataset.ready = 'true';
    return;
  }
  showAccount(session);
  // Subscribe first, so nothing that changes while the first load runs is missed.
  events.open();
  const keys = session.can_manage_keys ? createKeys().show() : null;
  await Promise.allSettled([loadAll(), keys]);
  document.body.dataset.ready = 'true';
}

start();
