// Access: sign-in when the gateway asks for keys, the account badge with sign-out, and
// the API-key list for admins (create with the secret shown once, revoke).
// The session itself is an HttpOnly cookie this script never sees.

import { api } from './api.js';
import { confirmAction, h } from './kit/index.js';

const $ = (id) => document.getElementById(id);

/** GET /api/session; a gateway that cannot answer is treated as open (its error shows later). */
export async function currentSession() {
  try {
    return await api.get('/api/session');
  } catch {
    return { keys_required: false, signed_in: false, can_manage_keys: false };
  }
}

/** Show the sign-in form instead of the dashboard; a good key reloads the page signed in. */
export function showSignIn() {
  for (const section of document.querySelectorAll('main > section')) section.hidden = true;
  $('signin').hidden = false;
  document.body.dataset.auth = 'signin';
  const form = $('signin-form');
  const input = $('signin-key');
  input.focus();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    $('signin-error').textContent = '';
    try {
      await api.post('/api/session', { key: input.value.trim() });
    } catch (error) {
      $('signin-error').textContent = error.message;
      input.select();
      return;
    }
    input.value = '';
    window.location.reload();
  });
}

/** The header badge: who is signed in, and a sign-out button. */
export function showAccount(session) {
  const account = $('account');
  document.body.dataset.auth = session.signed_in ? 'signed-in' : 'open';
  if (!session.signed_in || session.via !== 'session') {
    account.hidden = true;
    return;
  }
  const signOut = h('button', { type: 'button', class: 'button', text: 'Sign out' });
  signOut.addEventListener('click', async () => {
    try {
      await api.del('/api/session');
    } finally {
      window.location.reload();
    }
  });
  account.replaceChildren(h('span', { class: 'muted', text: `Signed in as ${session.name}` }), ' ', signOut);
  account.hidden = false;
}

function when(seconds) {
  return seconds ? new Date(seconds * 1000).toLocaleString() : 'never';
}

/** The API-key section, for callers allowed to manage keys. */
export function createKeys() {
  const section = $('access');
  const body = $('keys').querySelector('tbody');
  let scopesShown = false;

  function renderScopes(scopes) {
    if (scopesShown) return;
    scopesShown = true;
    const fieldset = $('key-scopes');
    for (const [name, meaning] of Object.entries(scopes)) {
      const id = `scope-${name.replace(/[^a-z0-9_-]/g, '-')}`;
      fieldset.append(
        h(
          'div',
          { class: 'scope' },
          h('input', { type: 'checkbox', id, value: name, checked: name === 'read' }),
          h('label', { for: id }, h('strong', { text: name }), ` — ${meaning}`),
        ),
      );
    }
  }

  function render(listing) {
    $('access-mode').textContent = listing.keys_required
      ? 'Keys are required: every request but /health needs one.'
      : 'Keys are off (access.require_keys): anyone who can reach the gateway may use it. Keys made now are recognised and named in the audit log.';
    renderScopes(listing.scopes);
    body.replaceChildren(
      ...listing.keys.map((key) => {
        const revoke = h('button', { type: 'button', class: 'button danger', text: 'Revoke' });
        revoke.setAttribute('aria-label', `Revoke ${key.name}`);
        revoke.addEventListener('click', async () => {
          const yes = await confirmAction(
            `Revoke the key "${key.name}"? Apps using it are refused at once, and dashboards signed in with it are signed out.`,
            'Revoke',
          );
          if (!yes) return;
          try {
            await api.del(`/api/keys/${encodeURIComponent(key.name)}`);
          } catch (error) {
            $('key-error').textContent = error.message;
          }
          await load();
        });
        return h(
          'tr',
          { dataset: { key: key.name } },
          h('td', { text: key.name }),
          h('td', { text: key.scopes.join(', ') }),
          h('td', { text: when(key.last_used) }),
          h('td', {}, revoke),
        );
      }),
    );
  }

  async function load() {
    try {
      render(await api.get('/api/keys'));
    } catch (error) {
      $('key-error').textContent = `Could not load the keys: ${error.message}`;
    }
  }

  $('key-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('key-error').textContent = '';
    const scopes = [...$('key-scopes').querySelectorAll('input:checked')].map((box) => box.value);
    let created;
    try {
      created = await api.post('/api/keys', { name: $('key-name').value.trim(), scopes });
    } catch (error) {
      $('key-error').textContent = error.message;
      return;
    }
    $('key-name').value = '';
    $('new-key-name').textContent = created.name;
    $('new-key-secret').textContent = created.secret;
    $('new-key').hidden = false;
    await load();
  });

  return {
    async show() {
      section.hidden = false;
      await load();
    },
  };
}
