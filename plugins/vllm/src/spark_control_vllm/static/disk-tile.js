// The "Models on disk" tile: local models (a folder on the head node) with their
// "local" badge, the "+ Add local model" form, and the models cached on each vLLM
// node's disk, each with Delete (refused for local and running models, as the API
// refuses them). Sources: GET /api/models, GET /api/models/disk; actions: POST
// /api/models, DELETE /api/models/{id}, DELETE /api/models/{id}/disk?node=.

import { button, errorText, formatBytes, h, loadStyles } from '/ui/kit/index.js';

function field(id, label, props = {}, hint = '') {
  const input = h('input', { id, name: id, spellcheck: 'false', autocomplete: 'off', ...props });
  return {
    input,
    row: h('div', { class: 'disk-field' }, h('label', { for: id, text: label }), input, hint ? h('p', { class: 'muted small', text: hint }) : null),
  };
}

export default async function mount(container, ctx) {
  await loadStyles(new URL('disk-tile.css', import.meta.url));
  const prefix = `disk-${ctx.tile.id}`;
  const result = h('p', { class: 'result small', role: 'status', 'aria-live': 'polite' });
  const localList = h('ul', { class: 'disk-local', 'aria-label': 'Local models' });
  const nodesBox = h('div', { class: 'disk-nodes' });

  const id = field(`${prefix}-id`, 'ID', { required: true, pattern: '[a-z0-9][a-z0-9._-]*', maxlength: 64 }, 'Lower-case letters, digits, . _ -: the name used in API bodies.');
  const name = field(`${prefix}-name`, 'Display name', { required: true, maxlength: 120 });
  const path = field(`${prefix}-path`, 'Folder on the head node', { required: true, placeholder: '/models/my-finetune' }, 'An absolute folder holding config.json, inside one of vllm.local_model_roots.');
  const memory = field(`${prefix}-memory`, 'Memory needed per node (GB)', { required: true, type: 'number', min: '1', max: '1024', step: '1' });
  const addButton = button('Add model', { type: 'submit' });
  const form = h('form', { class: 'disk-form', autocomplete: 'off', hidden: true }, id.row, name.row, path.row, memory.row, h('div', { class: 'actions' }, addButton));
  const toggle = button('+ Add local model', { 'aria-expanded': 'false', 'aria-controls': `${prefix}-form` });
  form.id = `${prefix}-form`;

  container.append(
    h('h4', { text: 'Local models' }),
    localList,
    toggle,
    form,
    h('h4', { text: 'On each node\u2019s disk' }),
    nodesBox,
    result,
  );

  function say(text, outcome) {
    result.dataset.outcome = outcome;
    result.textContent = text;
  }

  let models = [];

  function renderLocal() {
    const local = models.filter((m) => m.local_path);
    if (!local.length) {
      localList.replaceChildren(h('li', { class: 'muted', text: 'None yet: add a folder on the head node below.' }));
      return;
    }
    localList.replaceChildren(
      ...local.map((m) => {
        const running = m.state === 'running' || m.state === 'loading';
        const remove = button('Remove', { dataset: { action: 'remove' }, disabled: running, title: running ? 'It is running: stop or swap first.' : null });
        remove.addEventListener('click', async () => {
          if (!(await ctx.confirm(`Remove ${m.display_name} from the catalog? Its folder on the node stays as it is.`, 'Remove'))) return;
          try {
            await ctx.api.del(`/api/models/${encodeURIComponent(m.id)}`);
            say(`${m.display_name} was removed from the catalog.`, 'ok');
          } catch (error) {
            say(`Not removed: ${errorText(error)}`, 'error');
          }
          await refresh();
        });
        return h('li', { class: 'disk-row', dataset: { model: m.id } }, h('span', {}, h('strong', { text: m.display_name }), ' ', h('span', { class: 'kit-pill accent', text: 'local' })), h('span', { class: 'mono small', text: m.local_path }), remove);
      }),
    );
  }

  function renderDisk(listing) {
    const byId = new Map(models.map((m) => [m.id, m]));
    const sections = Object.entries(listing.nodes ?? {}).map(([node, cached]) => {
      const rows = cached.map((c) => {
        const entry = c.catalog_ids.map((i) => byId.get(i)).find(Boolean);
        const running = c.catalog_ids.some((i) => ['running', 'loading'].includes(byId.get(i)?.state));
        const why = !entry ? 'Not in the catalog: nothing names it to delete.' : running ? 'It is running: stop or swap first.' : null;
        const remove = button('Delete', { class: 'button danger', disabled: Boolean(why), title: why, dataset: { action: 'delete' } });
        remove.addEventListener('click', async () => {
          const question = `Delete ${c.repo} from ${node}\u2019s disk? This frees ${formatBytes(c.size_bytes)}; the model downloads again the next time it starts there.`;
          if (!(await ctx.confirm(question, 'Delete'))) return;
          try {
            await ctx.api.del(`/api/models/${encodeURIComponent(entry.id)}/disk?node=${encodeURIComponent(node)}`);
            say(`${c.repo} was deleted from ${node}.`, 'ok');
          } catch (error) {
            say(`Not deleted: ${errorText(error)}`, 'error');
          }
          await refresh();
        });
        return h('li', { class: 'disk-row', dataset: { repo: c.repo, node } }, h('span', { class: 'mono small', text: c.repo }), h('span', { text: formatBytes(c.size_bytes) }), remove, why ? h('span', { class: 'muted small', text: why }) : null);
      });
      return h('section', { class: 'disk-node', dataset: { node } }, h('h5', { text: node }), rows.length ? h('ul', { class: 'disk-cached' }, ...rows) : h('p', { class: 'muted small', text: 'No cached models.' }));
    });
    const errors = Object.entries(listing.errors ?? {}).map(([node, why]) => h('p', { class: 'error small', text: `${node}: could not list: ${why}` }));
    nodesBox.replaceChildren(...sections, ...errors);
    if (!sections.length && !errors.length) nodesBox.replaceChildren(h('p', { class: 'muted small', text: 'No vLLM node is configured.' }));
  }

  async function refresh() {
    try {
      models = (await ctx.api.get('/api/models')).models ?? [];
      renderLocal();
    } catch (error) {
      localList.replaceChildren(h('li', { class: 'error', text: `Could not load the catalog: ${errorText(error)}` }));
    }
    try {
      renderDisk(await ctx.api.get('/api/models/disk'));
    } catch (error) {
      nodesBox.replaceChildren(h('p', { class: 'error', text: `Could not list the disks: ${errorText(error)}` }));
    }
  }

  toggle.addEventListener('click', () => {
    form.hidden = !form.hidden;
    toggle.setAttribute('aria-expanded', String(!form.hidden));
    if (!form.hidden) id.input.focus();
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    addButton.disabled = true;
    const body = { id: id.input.value.trim(), display_name: name.input.value.trim(), local_path: path.input.value.trim(), memory_gb: Number(memory.input.value) };
    try {
      await ctx.api.post('/api/models', body);
      say(`${body.display_name} was added; it can be swapped to now.`, 'ok');
      form.reset();
      form.hidden = true;
      toggle.setAttribute('aria-expanded', 'false');
    } catch (error) {
      say(`Not added: ${errorText(error)}`, 'error');
    } finally {
      addButton.disabled = false;
    }
    await refresh();
  });

  for (const type of ['vllm.model_added', 'vllm.model_removed', 'vllm.disk_deleted', 'vllm.state_changed', 'stream.reset']) {
    ctx.on(type, () => refresh());
  }
  await refresh();
}
