// The vllm tile's "Models on disk": each vLLM node's Hugging Face cache (GET
// /api/vllm/models/disk) with a Delete per model and node (DELETE /api/vllm/models/{id}/disk?node=),
// and the local models (folders of their own: never deleted, only removed from the
// catalog with DELETE /api/vllm/models/{id}). What the API refuses (a local model, the model
// that runs or loads, a folder no catalog entry uses) is disabled here, with the reason
// beside it. Tables reflow to stacked rows when the tile is narrow (a phone). The view
// is a disclosure, closed at first: the disks are read (du over SSH) only while open.

import { button, errorText, formatBytes, h, plural } from '/ui/kit/index.js';
import { breakable, capItems } from './vllm-lists.js';

const ROWS_SHOWN = 5;
const IN_USE = { running: 'is running', loading: 'is being loaded' };

/**
 * diskView({ctx, uid, act, onCatalogChanged}) →
 *   {element, refresh(), setModels(models), setRefusals({delete, remove}), setBusy(busy)}
 *
 * `act(label, confirmText, confirmLabel, send, {danger})` is the tile's way to send a
 * request (confirm first, busy state, the result line); `send` may return the words to
 * show. `onCatalogChanged()` is called after a local model was removed.
 */
export function diskView({ ctx, uid, act, onCatalogChanged }) {
  const titleId = `${uid}-disk`;
  const refusalId = `${uid}-disk-refusal`;
  const refreshButton = button('Refresh', { 'aria-label': 'Refresh the models on disk', dataset: { action: 'disk-refresh' } });
  const refusal = h('p', { id: refusalId, class: 'refusal small', hidden: true });
  const status = h('p', { class: 'muted small vllm-disk-status', role: 'status' });
  const groups = h('div', { class: 'vllm-disk-groups' });
  const element = h(
    'details',
    { class: 'vllm-disk' },
    h('summary', {}, h('h4', { id: titleId, text: 'Models on disk' })),
    h(
      'div',
      { class: 'vllm-disk-body', role: 'group', 'aria-labelledby': titleId },
      h('div', { class: 'vllm-disk-head' }, h('p', { class: 'muted small', text: "Each node's Hugging Face cache, and the local models." }), refreshButton),
      refusal,
      status,
      groups,
    ),
  );

  const state = { listing: null, models: [], busy: false, refusals: { delete: null, remove: null }, seq: 0 };
  let rows = 0;

  function entry(id) {
    return state.models.find((m) => m.id === id);
  }

  function name(id) {
    return entry(id)?.display_name || id;
  }

  /** Why `ids` (catalog entries sharing one folder) cannot be deleted now, or null. */
  function blocked(ids) {
    if (!ids.length) return 'Not in the catalog: Spark Control deletes only the folders of catalog models.';
    for (const id of ids) {
      const word = IN_USE[entry(id)?.state];
      if (word) return `In use: ${name(id)} ${word}. Stop it or swap to another model first.`;
    }
    return null;
  }

  function deleteButton(label, why, noteId) {
    const refused = Boolean(state.refusals.delete);
    const target = button('Delete', {
      class: 'button danger',
      'aria-label': label,
      dataset: { action: 'disk-delete', blocked: why ? 'yes' : '' },
    });
    const described = [why ? noteId : null, refused ? refusalId : null].filter(Boolean);
    if (described.length) target.setAttribute('aria-describedby', described.join(' '));
    return target;
  }

  function cachedRow(node, model) {
    const ids = model.catalog_ids ?? [];
    const why = blocked(ids);
    const noteId = `${uid}-disk-note-${++rows}`;
    const names = ids.map((id) => {
      const word = entry(id)?.state;
      return h('span', { class: 'vllm-disk-entry' }, name(id), IN_USE[word] ? h('span', { class: 'kit-pill accent', text: word }) : null);
    });
    const size = formatBytes(model.size_bytes);
    const remove = deleteButton(`Delete ${model.repo} from ${node}`, why, noteId);
    remove.addEventListener('click', () => {
      const id = ids[0];
      const also = ids.length ? ` A later swap to ${ids.map(name).join(' or ')} downloads it again.` : '';
      const text = `Delete ${model.repo} (${size}) from ${node}'s disk? Its folder ${model.path} is removed.${also}`;
      act('Delete', text, 'Delete', async () => {
        const answer = await ctx.api.del(`/api/vllm/models/${encodeURIComponent(id)}/disk?node=${encodeURIComponent(node)}`);
        refresh();
        const done = answer?.nodes?.[node];
        if (answer?.errors?.[node]) throw new Error(answer.errors[node]);
        if (done?.deleted) return `Deleted ${model.repo} from ${node}: ${formatBytes(done.freed_bytes)} freed.`;
        return `${model.repo} was no longer on ${node}'s disk.`;
      });
    });
    return h(
      'tr',
      { dataset: { repo: model.repo } },
      h(
        'th',
        { scope: 'row' },
        breakable(model.repo),
        names.length ? h('span', { class: 'vllm-disk-entries small' }, names) : null,
        why ? h('span', { id: noteId, class: 'vllm-disk-note small muted', text: why }) : null,
      ),
      h('td', { class: 'vllm-disk-size', dataset: { label: 'Size' }, text: size }),
      h('td', { class: 'vllm-disk-action' }, remove),
    );
  }

  function localRow(model) {
    const noteId = `${uid}-disk-note-${++rows}`;
    const inUse = IN_USE[model.state];
    const why = inUse ? `In use: it ${inUse}, so it stays in the catalog for now.` : null;
    const keep = 'Never deleted by Spark Control: the folder is yours.';
    const del = deleteButton(`Delete ${model.display_name} from disk`, keep, noteId);
    const removeId = `${noteId}-remove`;
    const remove = button('Remove from catalog', {
      'aria-label': `Remove from catalog: ${model.display_name}`,
      dataset: { action: 'local-remove', blocked: inUse ? 'yes' : '' },
    });
    const described = [inUse ? removeId : null, state.refusals.remove ? refusalId : null].filter(Boolean);
    if (described.length) remove.setAttribute('aria-describedby', described.join(' '));
    remove.addEventListener('click', () => {
      const text = `Remove ${model.display_name} from the catalog? Its folder ${model.local_path} stays on the node; you can add it again.`;
      act('Remove', text, 'Remove from catalog', async () => {
        await ctx.api.del(`/api/vllm/models/${encodeURIComponent(model.id)}`);
        onCatalogChanged();
        return `Removed ${model.display_name} from the catalog; its folder stays on the node.`;
      }, { danger: false });
    });
    return h(
      'tr',
      { dataset: { model: model.id } },
      h(
        'th',
        { scope: 'row' },
        h('span', { class: 'vllm-disk-entry' }, model.display_name, h('span', { class: 'kit-pill accent vllm-local-badge', text: 'local' })),
        h('span', { class: 'vllm-disk-path small mono' }, breakable(model.local_path ?? '')),
        h('span', { id: noteId, class: 'vllm-disk-note small muted', text: keep }),
        why ? h('span', { id: removeId, class: 'vllm-disk-note small muted', text: why }) : null,
      ),
      h('td', { class: 'vllm-disk-action' }, h('span', { class: 'vllm-disk-buttons' }, remove, del)),
    );
  }

  function table(caption, heads, items, one, many) {
    const body = h('tbody');
    const more = capItems(body, items, { cap: ROWS_SHOWN, one, many });
    const head = h('thead', {}, h('tr', {}, heads.map((text) => h('th', { scope: 'col' }, text ? text : h('span', { class: 'visually-hidden', text: 'Action' })))));
    return [h('table', { class: 'vllm-table' }, h('caption', {}, caption), head, body), more];
  }

  function render() {
    rows = 0;
    const parts = [];
    const listing = state.listing;
    if (listing) {
      for (const [node, models] of Object.entries(listing.nodes ?? {})) {
        const total = models.reduce((sum, m) => sum + (m.size_bytes ?? 0), 0);
        const caption = [h('span', { class: 'vllm-disk-node', text: node }), h('span', { class: 'muted small', text: ` ${plural(models.length, 'model', 'models')}, ${formatBytes(total)}` })];
        const group = h('div', { class: 'vllm-disk-group', dataset: { node } });
        if (models.length) group.append(...table(caption, ['Model', 'Size', ''], models.map((m) => cachedRow(node, m)), 'model', 'models').filter(Boolean));
        else group.append(h('p', { class: 'small' }, h('span', { class: 'vllm-disk-node', text: node }), ': no models in the cache.'));
        parts.push(group);
      }
      for (const [node, error] of Object.entries(listing.errors ?? {})) {
        parts.push(h('p', { class: 'error small vllm-disk-error', dataset: { node } }, h('span', { class: 'vllm-disk-node', text: node }), `: could not be listed: ${error}`));
      }
    }
    const locals = state.models.filter((m) => m.local_path);
    if (locals.length) {
      const group = h('div', { class: 'vllm-disk-group', dataset: { node: 'local' } });
      const caption = [h('span', { class: 'vllm-disk-node', text: 'Local models' }), h('span', { class: 'muted small', text: ' folders of their own, on the head node' })];
      group.append(...table(caption, ['Model', ''], locals.map(localRow), 'local model', 'local models').filter(Boolean));
      parts.push(group);
    }
    groups.replaceChildren(...parts);
    sync();
  }

  // Which buttons can do something now (without rebuilding: focus stays where it is).
  function sync() {
    refreshButton.disabled = state.busy;
    for (const target of groups.querySelectorAll('button[data-action]')) {
      const gate = target.dataset.action === 'disk-delete' ? state.refusals.delete : state.refusals.remove;
      target.disabled = state.busy || target.dataset.blocked === 'yes' || Boolean(gate);
    }
  }

  async function refresh() {
    if (!element.open) return;
    const seq = ++state.seq;
    status.textContent = state.listing ? '' : 'Reading the disks…';
    try {
      const listing = await ctx.api.get('/api/vllm/models/disk');
      if (seq !== state.seq) return;
      state.listing = listing;
      status.textContent = '';
    } catch (error) {
      if (seq !== state.seq) return;
      status.textContent = `Could not read the disks: ${errorText(error)}`;
      status.classList.add('error');
      return;
    }
    status.classList.remove('error');
    render();
  }

  refreshButton.addEventListener('click', refresh);
  element.addEventListener('toggle', refresh);

  return {
    element,
    refresh,
    setModels(models) {
      state.models = models;
      render();
    },
    setRefusals({ delete: del, remove }, text) {
      state.refusals = { delete: del, remove };
      refusal.hidden = !text;
      refusal.textContent = text ?? '';
      render();
    },
    setBusy(busy) {
      if (state.busy === busy) return;
      state.busy = busy;
      sync();
    },
  };
}
