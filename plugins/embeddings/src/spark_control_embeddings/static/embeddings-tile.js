// The embeddings plugin's dashboard tile ("Embeddings & search"): the embedding
// service's and the store's health, the collections with their point counts (delete
// asks first), and a try-it search showing dense, sparse and hybrid results side by side.
//
// A module tile (see the contract at the top of the dashboard's tiles.js): plain DOM,
// every value from the gateway goes in as text, never as markup. Styles live in
// embeddings-tile.css next to this file and use the dashboard's colour variables.
//
// Sources: GET /api/health (probes "embeddings" and "qdrant"), GET /api/embeddings/collections,
// POST /api/embeddings/collections/{name}/search; events health.changed,
// embeddings.collection_changed and stream.reset (refetch all).

import { errorText, h, loadStyles, showMessage } from '/ui/kit/index.js';

const PROBES = [
  ['embeddings', 'Embedding service'],
  ['qdrant', 'Vector store'],
];
const MODES = [
  ['dense', 'Dense (meaning)'],
  ['sparse', 'Sparse (keywords)'],
  ['hybrid', 'Hybrid'],
];
const RESULTS = 5;

let serial = 0;

export default async function mount(container, ctx) {
  loadStyles(new URL('embeddings-tile.css', import.meta.url));
  const id = `emb-${(serial += 1)}`;
  let alive = true;

  // --- health ------------------------------------------------------------------------
  const healthRows = new Map();
  const health = h('dl', { class: 'emb-health' });
  for (const [probe, label] of PROBES) {
    const state = h('span', { class: 'emb-state kit-pill', dataset: { state: 'unknown' }, text: 'unknown' });
    const detail = h('span', { class: 'emb-detail' });
    health.append(h('div', { dataset: { probe } }, h('dt', { text: label }), h('dd', {}, state, ' ', detail)));
    healthRows.set(probe, { state, detail });
  }

  // --- collections -------------------------------------------------------------------
  const storeKind = h('p', { class: 'emb-store' });
  const rows = h('tbody');
  const table = h(
    'table',
    { class: 'emb-collections' },
    h('caption', { text: 'Collections' }),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Name' }), h('th', { scope: 'col', text: 'Documents' }),
      h('th', { scope: 'col', text: 'Sparse' }), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden', text: 'Actions' })))),
    rows,
  );
  const empty = h('p', { class: 'emb-empty', text: 'No collections yet. Create one through POST /api/embeddings/collections.' });
  const listError = h('p', { class: 'emb-error', role: 'alert', hidden: true });
  const result = h('p', { class: 'result', role: 'status' });

  // --- try-it search -----------------------------------------------------------------
  const picker = h('select', { id: `${id}-collection`, name: 'collection' });
  const query = h('input', { id: `${id}-query`, name: 'query', type: 'search', required: true, maxlength: 8192,
    placeholder: 'Ask something of a collection', autocomplete: 'off' });
  const go = h('button', { type: 'submit', class: 'button', text: 'Search' });
  const form = h(
    'form',
    { class: 'emb-try', role: 'search' },
    h('label', { for: picker.id, text: 'Collection' }),
    picker,
    h('label', { for: query.id, text: 'Query' }),
    query,
    go,
  );
  const searchError = h('p', { class: 'emb-error', role: 'alert', hidden: true });
  const columns = h('div', { class: 'emb-columns', hidden: true });
  const lists = new Map();
  for (const [mode, label] of MODES) {
    const list = h('ol', { class: 'emb-results', 'aria-label': `${label} results` });
    const timing = h('p', { class: 'emb-timing' });
    columns.append(h('section', { class: 'emb-column', dataset: { mode } }, h('h4', { text: label }), timing, list));
    lists.set(mode, { list, timing });
  }

  container.append(
    h('div', { class: 'emb-tile' }, health, storeKind, h('div', { class: 'emb-table' }, table), empty, listError, result, form, searchError, columns),
  );

  async function refreshHealth() {
    try {
      const report = await ctx.api.get('/api/health');
      for (const [probe, row] of healthRows) {
        const view = report.probes?.[probe];
        const state = view ? view.state : 'unknown';
        row.state.dataset.state = state;
        row.state.textContent = state;
        row.detail.textContent = view ? view.detail || '' : 'no probe';
      }
    } catch (error) {
      for (const row of healthRows.values()) row.detail.textContent = errorText(error);
    }
  }

  async function refreshCollections() {
    let answer;
    try {
      answer = await ctx.api.get('/api/embeddings/collections');
    } catch (error) {
      if (!alive) return;
      showMessage(listError, `Could not list collections: ${errorText(error)}`);
      listError.hidden = false;
      return;
    }
    if (!alive) return;
    listError.hidden = true;
    storeKind.textContent = answer.store === 'embedded'
      ? 'Store: embedded (qdrant-edge, in the data directory)'
      : 'Store: Qdrant (qdrant-client)';
    rows.replaceChildren();
    const chosen = picker.value;
    picker.replaceChildren();
    for (const collection of answer.collections) {
      const remove = h('button', { type: 'button', class: 'button danger', text: 'Delete',
        'aria-label': `Delete collection ${collection.name}`, dataset: { action: 'delete' } });
      remove.addEventListener('click', () => removeCollection(collection));
      rows.append(
        h('tr', { dataset: { collection: collection.name } },
          h('th', { scope: 'row', text: collection.name }),
          h('td', { class: 'emb-points', text: String(collection.points), dataset: { label: 'Documents' } }),
          h('td', { text: collection.sparse ?? 'n/a', dataset: { label: 'Sparse' } }),
          h('td', { class: 'emb-action' }, remove)),
      );
      if (collection.searchable) picker.append(h('option', { value: collection.name, text: collection.name }));
    }
    if ([...picker.options].some((option) => option.value === chosen)) picker.value = chosen;
    table.hidden = answer.collections.length === 0;
    empty.hidden = answer.collections.length !== 0;
    canSearch();
  }

  async function removeCollection(collection) {
    const text = `Delete the collection "${collection.name}" and its ${collection.points} documents? `
      + 'Apps that search it will get "not found" until they recreate and refill it. This cannot be undone.';
    if (!(await ctx.confirm(text, 'Delete'))) {
      result.textContent = 'Delete cancelled, nothing was changed.';
      return;
    }
    try {
      await ctx.api.del(`/api/embeddings/collections/${encodeURIComponent(collection.name)}`);
      result.textContent = `Deleted collection ${collection.name}.`;
    } catch (error) {
      result.textContent = `Could not delete ${collection.name}: ${errorText(error)}`;
    }
    await refreshCollections();
  }

  function show(mode, answer) {
    const { list, timing } = lists.get(mode);
    list.replaceChildren();
    if (answer.error) {
      timing.textContent = answer.error;
      return;
    }
    timing.textContent = `${answer.results.length} found, ${answer.timing.store_ms.toFixed(1)} ms in the store`;
    for (const hit of answer.results) {
      list.append(
        h('li', { dataset: { id: hit.id } },
          h('span', { class: 'emb-id', text: hit.id }), ' ',
          h('span', { class: 'emb-score', text: hit.score.toFixed(3) }),
          h('span', { class: 'emb-text', text: hit.text })),
      );
    }
    if (answer.results.length === 0) list.append(h('li', { class: 'emb-none', text: 'nothing matched' }));
  }

  // Search does nothing without a collection and a query: disabled until both are there.
  let searching = false;
  function canSearch() {
    go.disabled = searching || !picker.value || !query.value.trim();
  }
  query.addEventListener('input', canSearch);
  picker.addEventListener('change', canSearch);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = picker.value;
    const text = query.value.trim();
    if (!name || !text) return;
    searchError.hidden = true;
    searching = true;
    canSearch();
    columns.setAttribute('aria-busy', 'true');
    const path = `/api/embeddings/collections/${encodeURIComponent(name)}/search`;
    const answers = await Promise.all(
      MODES.map(([mode]) => ctx.api.post(path, { query: text, mode, limit: RESULTS })
        .catch((error) => ({ error: errorText(error) }))),
    );
    if (!alive) return;
    searching = false;
    canSearch();
    columns.removeAttribute('aria-busy');
    if (answers.every((answer) => answer.error)) {
      searchError.textContent = `Search failed: ${answers[0].error}`;
      searchError.hidden = false;
      columns.hidden = true;
      return;
    }
    MODES.forEach(([mode], index) => show(mode, answers[index]));
    columns.hidden = false;
  });

  const offHealth = ctx.on('health.changed', ({ data }) => {
    if (healthRows.has(data?.probe)) refreshHealth();
  });
  const offChanged = ctx.on('embeddings.collection_changed', () => refreshCollections());
  const offReset = ctx.on('stream.reset', () => {
    refreshHealth();
    refreshCollections();
  });

  await Promise.all([refreshHealth(), refreshCollections()]);
  return () => {
    alive = false;
    offHealth();
    offChanged();
    offReset();
  };
}
