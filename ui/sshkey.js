// Installing the gateway's SSH key on a node (POST /api/nodes/{node}/ssh-key) with the
// node user's one-time password. The password goes only into that request's body: it
// is never logged, kept or shown, and the field is emptied once the request is sent.

import { api } from './api.js';
import { button, errorText, h } from './kit/index.js';

/** A collapsed form for `node` ({name, user?}); returns the <details> element. */
export function sshKeyForm(node) {
  const id = `ssh-key-${node.name}`;
  const password = h('input', { id: `${id}-password`, type: 'password', name: 'password', autocomplete: 'off', spellcheck: 'false' });
  const submit = button('Install key', { type: 'submit' });
  const result = h('p', { class: 'result small', role: 'status', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'ssh-key-form', autocomplete: 'off' },
    h('p', { class: 'muted small', text: 'Logs in once with the password to add the gateway\u2019s key to the node user\u2019s authorized keys, then checks that key login works. The password is used for this one connection and never kept. Leave it empty if the node already accepts the key.' }),
    h('label', { for: password.id, text: `Password of ${node.user ?? 'the SSH user'} on ${node.name}` }),
    password,
    submit,
    result,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { password: password.value };
    password.value = '';
    submit.disabled = true;
    result.dataset.outcome = '';
    result.textContent = 'Installing…';
    try {
      const answer = await api.post(`/api/nodes/${encodeURIComponent(node.name)}/ssh-key`, body);
      result.dataset.outcome = 'ok';
      result.textContent = answer.status === 'already_installed'
        ? `The key was already installed (${answer.fingerprint}); nothing changed.`
        : `Key installed (${answer.fingerprint}); key login works.`;
    } catch (error) {
      result.dataset.outcome = 'error';
      result.textContent = `Not installed: ${errorText(error)}`;
    } finally {
      submit.disabled = false;
    }
  });
  return h('details', { class: 'ssh-key', dataset: { sshKey: node.name } }, h('summary', { text: 'Install the gateway\u2019s SSH key' }), form);
}
