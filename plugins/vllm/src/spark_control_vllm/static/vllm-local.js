// The vllm tile's "+ Add local model" form: POST /api/vllm/models with a folder on the head
// node (docs/VLLM.md, "Local models"). The gateway checks the folder over SSH; its 422
// names the field (detail.field), which the form marks and focuses.

import { button, h } from '/ui/kit/index.js';

// Field name → [label, input attributes, hint]; the first four are required.
const FIELDS = [
  ['id', 'ID', { required: true, autocomplete: 'off', spellcheck: 'false' }, 'lower-case letters, digits and . _ -'],
  ['display_name', 'Display name', { required: true, autocomplete: 'off' }, null],
  ['local_path', 'Folder on the head node', { required: true, autocomplete: 'off', spellcheck: 'false', placeholder: '/home/alice/models/my-finetune' }, 'holds config.json; inside a local model root (vllm.local_model_roots)'],
  ['memory_gb', 'Memory per node (GB)', { required: true, type: 'number', min: '0.1', max: '1024', step: 'any', inputmode: 'decimal' }, null],
];
const OPTIONAL = [
  ['served_model_name', 'Served model name', { autocomplete: 'off', spellcheck: 'false' }, 'what clients put in "model" (default: the ID)'],
  ['max_model_len', 'Max model length', { type: 'number', min: '1', step: '1', inputmode: 'numeric' }, null],
  ['gpu_memory_utilization', 'GPU memory utilisation', { type: 'number', min: '0.01', max: '0.95', step: '0.01', inputmode: 'decimal' }, 'above 0, at most 0.95'],
  ['chat_template', 'Chat template', { autocomplete: 'off', spellcheck: 'false' }, 'a file inside the folder'],
];
const NUMBERS = new Set(['memory_gb', 'max_model_len', 'gpu_memory_utilization', 'tensor_parallel_size']);

/**
 * localModelForm({ctx, uid, run, onAdded}) → {element, setRefusal(text), setBusy(busy)}
 *
 * `run(label, send)` is the tile's way to send a request (busy state, result line);
 * `onAdded(entry)` is called with the added entry.
 */
export function localModelForm({ ctx, uid, run, onAdded }) {
  const formId = `${uid}-add-form`;
  const toggle = button('+ Add local model', {
    class: 'button vllm-add-toggle',
    'aria-expanded': 'false',
    'aria-controls': formId,
  });
  const inputs = new Map();
  const errors = new Map();

  function field([name, label, attrs, hint]) {
    const id = `${uid}-add-${name}`;
    const hintId = `${id}-hint`;
    const errorId = `${id}-error`;
    const input = h('input', { id, name, class: 'vllm-input', ...attrs, 'aria-describedby': hint ? `${hintId} ${errorId}` : errorId });
    const error = h('p', { id: errorId, class: 'vllm-field-error small error', hidden: true });
    inputs.set(name, input);
    errors.set(name, error);
    input.addEventListener('input', () => clearError(name));
    return h(
      'div',
      { class: 'vllm-field', dataset: { field: name } },
      h('label', { for: id, text: attrs.required ? label : `${label} (optional)` }),
      input,
      hint ? h('p', { id: hintId, class: 'muted small vllm-hint', text: hint }) : null,
      error,
    );
  }

  const tpId = `${uid}-add-tensor_parallel_size`;
  const tp = h(
    'select',
    { id: tpId, name: 'tensor_parallel_size', class: 'vllm-input' },
    h('option', { value: '1', text: 'One node (the head)' }),
    h('option', { value: '2', text: 'Two nodes (the folder on both)' }),
  );
  inputs.set('tensor_parallel_size', tp);
  const tpError = h('p', { id: `${tpId}-error`, class: 'vllm-field-error small error', hidden: true });
  errors.set('tensor_parallel_size', tpError);
  tp.setAttribute('aria-describedby', tpError.id);
  const tpField = h('div', { class: 'vllm-field' }, h('label', { for: tpId, text: 'Runs on' }), tp, tpError);

  const more = h(
    'details',
    { class: 'vllm-details vllm-optional' },
    h('summary', { text: 'Optional settings' }),
    h('div', { class: 'vllm-fields' }, OPTIONAL.map(field)),
  );
  const submit = h('button', { type: 'submit', class: 'button', text: 'Add model' });
  const cancel = button('Cancel', { dataset: { role: 'cancel-add' } });
  const refusal = h('p', { id: `${formId}-refusal`, class: 'refusal small', hidden: true });
  const form = h(
    'form',
    { id: formId, class: 'vllm-add-form', hidden: true, 'aria-label': 'Add a local model' },
    h('p', {
      class: 'muted small',
      text: 'A model folder already on the node (a fine-tune, a converted checkpoint): vLLM serves it from disk, nothing is downloaded. The gateway checks the folder over SSH before adding it.',
    }),
    h('div', { class: 'vllm-fields' }, FIELDS.map(field), tpField),
    more,
    refusal,
    h('div', { class: 'actions' }, submit, cancel),
  );
  const element = h('div', { class: 'vllm-local' }, toggle, form);

  let busy = false;
  let refused = false;

  function open(show) {
    form.hidden = !show;
    toggle.setAttribute('aria-expanded', String(show));
    if (show) inputs.get('id').focus();
    else toggle.focus();
  }

  function clearError(name) {
    const input = inputs.get(name);
    input?.removeAttribute('aria-invalid');
    const error = errors.get(name);
    if (error) {
      error.hidden = true;
      error.textContent = '';
    }
  }

  function sync() {
    submit.disabled = busy || refused;
    if (refused) submit.setAttribute('aria-describedby', refusal.id);
    else submit.removeAttribute('aria-describedby');
  }

  function body() {
    const entry = {};
    for (const [name, input] of inputs) {
      const value = input.value.trim();
      if (!value) continue;
      entry[name] = NUMBERS.has(name) ? Number(value) : value;
    }
    return entry;
  }

  toggle.addEventListener('click', () => open(form.hidden));
  cancel.addEventListener('click', () => open(false));
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') open(false);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    for (const name of inputs.keys()) clearError(name);
    const entry = body();
    run('Add local model', async () => {
      try {
        const added = await ctx.api.post('/api/vllm/models', entry);
        form.reset();
        open(false);
        onAdded(added ?? entry);
        return `Added ${added?.display_name ?? entry.display_name}: it is in the “Swap to” list, marked local.`;
      } catch (error) {
        const name = error?.detail?.field;
        if (error?.status === 422 && inputs.has(name)) {
          const input = inputs.get(name);
          input.setAttribute('aria-invalid', 'true');
          const message = errors.get(name);
          message.textContent = error.message;
          message.hidden = false;
          if (more.contains(input)) more.open = true;
          input.focus();
        }
        throw error;
      }
    });
  });

  return {
    element,
    setBusy(value) {
      busy = value;
      sync();
    },
    setRefusal(text) {
      refused = Boolean(text);
      refusal.hidden = !refused;
      refusal.textContent = text ?? '';
      sync();
    },
  };
}
