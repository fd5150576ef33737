// The confirmation dialog: a modal <dialog> with Cancel and an explicit confirm button.
// Focus starts on Cancel, Tab stays inside, Escape cancels, focus returns to the opener.
// The confirm button is red (danger) by default; `{danger: false}` for an action that
// destroys nothing (a restart, a swap): red means "this deletes or stops something".
// `{detail}` adds a DOM node under the question (a swap's plan: nodes, memory, downtime),
// built by the caller from text only; it is removed when the dialog closes.

import { h } from './dom.js';

let dialog = null;

function build() {
  const title = h('h2', { id: 'confirm-title' });
  const text = h('p', { id: 'confirm-text', class: 'confirm-text' });
  const detail = h('div', { id: 'confirm-detail', class: 'confirm-detail', hidden: true });
  const cancel = h('button', { type: 'button', class: 'button', 'data-role': 'cancel', text: 'Cancel' });
  const ok = h('button', { type: 'button', class: 'button danger', 'data-role': 'confirm' });
  dialog = h(
    'dialog',
    {
      id: 'confirm-dialog',
      'aria-labelledby': 'confirm-title',
      'aria-describedby': 'confirm-text confirm-detail',
    },
    title,
    text,
    detail,
    h('div', { class: 'dialog-buttons' }, cancel, ok),
  );
  cancel.addEventListener('click', () => dialog.close('cancel'));
  ok.addEventListener('click', () => dialog.close('confirm'));
  dialog.addEventListener('keydown', (event) => {
    if (event.key !== 'Tab') return;
    const buttons = [cancel, ok];
    const index = buttons.indexOf(document.activeElement);
    event.preventDefault();
    const next = event.shiftKey ? index - 1 : index + 1;
    buttons[(next + buttons.length) % buttons.length].focus();
  });
  document.body.append(dialog);
}

// One question at a time: a confirmation asked while another is open waits its turn,
// so an answer can never be taken for a question the user did not see.
let queue = Promise.resolve();

/** Ask `text`; resolves true only if the user pressed the confirm button labelled `label`.
 * `options.danger` (default true) colours that button red; `options.detail` (a DOM
 * node) is shown under the question. */
export function confirmAction(text, label = 'Confirm', { danger = true, detail = null } = {}) {
  const answer = queue.then(() => ask(text, label, danger, detail));
  queue = answer.catch(() => false);
  return answer;
}

function ask(text, label, danger, detail) {
  if (!dialog) build();
  const opener = document.activeElement;
  dialog.querySelector('#confirm-title').textContent = `${label}?`;
  dialog.querySelector('#confirm-text').textContent = text;
  const more = dialog.querySelector('#confirm-detail');
  more.replaceChildren(...(detail instanceof Node ? [detail] : []));
  more.hidden = !(detail instanceof Node);
  const ok = dialog.querySelector('[data-role="confirm"]');
  ok.textContent = label;
  ok.className = danger ? 'button danger' : 'button';
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener(
      'close',
      () => {
        more.replaceChildren();
        more.hidden = true;
        if (opener instanceof HTMLElement) opener.focus();
        resolve(dialog.returnValue === 'confirm');
      },
      { once: true },
    );
    dialog.showModal();
    dialog.querySelector('[data-role="cancel"]').focus();
  });
}
