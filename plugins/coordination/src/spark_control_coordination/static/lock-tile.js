// The coordination plugin's "Swap lock" tile: while automation holds the swap lock, a
// banner says who holds it, why and for how long, and that swaps are paused; its
// Release button (after a plain-English confirmation) is the human override. The banner
// is the default model slot's lease (what swaps without a slot wait for); leases on other
// model slots (the vllm plugin's slots) are listed below it, each holding only its slot.
//
// Sources: GET /api/coordination/lock (the default slot, and `leases`: every slot's); events coordination.lock_changed (the lock's new state)
// and stream.reset (refetch). The Models tile pauses its own swap button through the
// gate (gate.changed), without knowing about this plugin.

import { button, duration, errorText, h, loadStyles, showMessage, when } from '/ui/kit/index.js';

export default async function mount(container, ctx) {
  loadStyles(new URL('coordination.css', import.meta.url));
  let alive = true;
  let lock = null; // GET /api/coordination/lock
  let fetchedAt = 0; // performance.now() when `lock` was read

  const free = h('p', { class: 'coord-free muted', text: 'The swap lock is free: anyone may swap models.' });
  const holder = h('strong', { class: 'coord-holder' });
  const reason = h('span', { class: 'coord-reason' });
  const left = h('span', { class: 'coord-left' });
  const expiry = h('span', { class: 'coord-expiry muted small' });
  const fencing = h('span', { class: 'coord-fencing muted small' });
  const release = button('Release lock', { class: 'button danger', 'data-action': 'force-release' });
  const banner = h(
    'div',
    { class: 'coord-banner', role: 'status', hidden: true },
    h('p', { class: 'coord-banner-title' }, 'Swaps are paused: the swap lock is held by ', holder),
    h('p', {}, 'Why: ', reason),
    h('p', {}, 'Time left: ', left, ' ', expiry),
    h('p', {}, fencing),
    release,
  );
  const slotList = h('ul', { class: 'coord-slot-list' });
  const slots = h(
    'div',
    { class: 'coord-slots', hidden: true },
    h('p', { class: 'small', text: 'Other model slots held (each pauses swaps of its own slot only):' }),
    slotList,
  );
  const result = h('p', { class: 'result small', role: 'status', 'aria-live': 'polite' });
  container.classList.add('coord-tile');
  container.append(free, banner, slots, result);

  function renderSlots() {
    const elapsed = (performance.now() - fetchedAt) / 1000;
    const others = (lock?.leases ?? []).filter(
      (lease) => lease.slot !== (lock?.slot ?? 'default') && lease.expires_in_s - elapsed > 0,
    );
    slots.hidden = others.length === 0;
    slotList.replaceChildren(
      ...others.map((lease) =>
        h(
          'li',
          { dataset: { slot: lease.slot } },
          h('strong', { text: lease.slot }),
          `: held by ${lease.holder}${lease.reason ? ` (${lease.reason})` : ''}, `,
          `${duration(lease.expires_in_s - elapsed)} left`,
        ),
      ),
    );
    free.textContent = others.length
      ? 'The swap lock of the default model slot is free: anyone may swap it.'
      : 'The swap lock is free: anyone may swap models.';
  }

  function secondsLeft() {
    if (!lock?.held) return 0;
    return lock.expires_in_s - (performance.now() - fetchedAt) / 1000;
  }

  function render() {
    renderSlots();
    const held = Boolean(lock?.held) && secondsLeft() > 0;
    banner.hidden = !held;
    free.hidden = held;
    container.dataset.lock = held ? 'held' : 'free';
    if (!held) return;
    holder.textContent = lock.holder;
    reason.textContent = lock.reason || '(no reason given)';
    left.textContent = duration(secondsLeft());
    expiry.textContent = `(until ${when(lock.expires_at)})`;
    fencing.textContent = `Lease number ${lock.fencing}`;
  }

  const READ_FAILED = 'Could not read the swap lock';

  async function refresh() {
    try {
      const answer = await ctx.api.get('/api/coordination/lock');
      if (!alive) return;
      lock = answer;
      fetchedAt = performance.now();
      render();
      if (result.dataset.message?.startsWith(READ_FAILED)) showMessage(result, null);
    } catch (error) {
      // A refresh failing the same way on every event shows one line with a count.
      if (alive) showMessage(result, `${READ_FAILED}: ${errorText(error)}`);
    }
  }

  release.addEventListener('click', async () => {
    const who = lock?.holder ?? 'the holder';
    const ok = await ctx.confirm(
      `Force-release the swap lock held by ${who}? Swaps are then open again at once: ` +
        `anyone, people or other jobs, can change the model on the cluster, even while ${who} ` +
        `is still using it for "${lock?.reason || 'its work'}". ${who}'s token stops working, ` +
        'so it cannot swap or renew until it takes the lock again. The release is written to the audit log.',
      'Release lock',
    );
    if (!ok) {
      result.textContent = 'Release cancelled; the lock is still held.';
      return;
    }
    release.disabled = true;
    try {
      const answer = await ctx.api.del('/api/coordination/lock?force=true');
      result.textContent = answer?.message ?? 'Released.';
      lock = answer;
      fetchedAt = performance.now();
      render();
    } catch (error) {
      result.textContent = `Could not release the lock: ${errorText(error)}`;
    } finally {
      release.disabled = false;
    }
  });

  ctx.on('coordination.lock_changed', ({ data }) => {
    lock = data;
    fetchedAt = performance.now();
    render();
  });
  ctx.on('stream.reset', refresh);
  const ticker = setInterval(render, 1000);
  await refresh();
  return () => {
    alive = false;
    clearInterval(ticker);
  };
}
