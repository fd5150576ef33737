// The coordination plugin's "Scheduled jobs" tile: jobs that external automation
// declared (POST /api/coordination/schedule), their next runs, and overlapping jobs whose
// models cannot be resident at once (two jobs, or a group that fits pairwise but not all
// together), with the server's reason. The registry only informs: it never runs anything.
//
// Sources: GET /api/coordination/schedule; events coordination.schedule_changed and stream.reset;
// refetched every minute as runs come and go.

import { errorText, h, loadStyles, showMessage, when } from '/ui/kit/index.js';

function duration(seconds) {
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? `${minutes} min` : `${(minutes / 60).toFixed(1)} h`;
}

/** "a needs m1, b needs m2 and c needs m3". */
function needs(clash) {
  const parts = clash.jobs.map((job, i) => `${job} needs ${clash.models[i]}`);
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts.join('');
}

export default async function mount(container, ctx) {
  loadStyles(new URL('coordination.css', import.meta.url));
  let alive = true;
  const conflicts = h('div', { class: 'coord-conflicts' });
  const list = h('ul', { class: 'coord-jobs' });
  const status = h('p', { class: 'result small', role: 'status', 'aria-live': 'polite' });
  container.classList.add('coord-tile');
  container.append(conflicts, list, status);

  function render(schedule) {
    conflicts.replaceChildren();
    for (const clash of schedule.conflicts) {
      conflicts.append(
        h(
          'p',
          { class: 'coord-conflict', dataset: { jobs: clash.jobs.join(' ') } },
          `Conflict: ${needs(clash)}, and their runs overlap from ${when(clash.first_overlap)}` +
            (clash.reason ? `: ${clash.reason}.` : '.'),
        ),
      );
    }
    list.replaceChildren();
    if (!schedule.jobs.length) {
      list.append(h('li', { class: 'muted', text: 'No jobs declared. Jobs declare themselves with POST /api/coordination/schedule.' }));
      return;
    }
    for (const job of schedule.jobs) {
      const item = h(
        'li',
        { class: 'coord-job', dataset: { job: job.name, conflict: job.conflicts_with.length ? 'yes' : 'no' } },
        h('p', { class: 'coord-job-head' }, h('strong', { text: job.name }), ` needs ${job.model}`,
          job.model_known ? null : h('span', { class: 'error', text: ' (not in the catalog)' })),
        h('p', { class: 'muted small', text: `${job.owner} · ${job.cron} (${job.timezone}) · about ${duration(job.expected_duration_s)}` }),
        job.description ? h('p', { class: 'small', text: job.description }) : null,
        h('p', { class: 'small coord-next' }, 'Next runs: ', job.next_runs.slice(0, 3).map(when).join(', ') || 'none'),
      );
      if (job.conflicts_with.length) {
        item.append(
          h('p', { class: 'small coord-warning', text: `Overlaps with ${job.conflicts_with.join(', ')} (models that cannot be resident at once)` }),
        );
      }
      list.append(item);
    }
  }

  async function refresh() {
    try {
      const schedule = await ctx.api.get('/api/coordination/schedule');
      if (!alive) return;
      render(schedule);
      showMessage(status, null);
    } catch (error) {
      if (alive) showMessage(status, `Could not read the schedule: ${errorText(error)}`);
    }
  }

  ctx.on('coordination.schedule_changed', refresh);
  ctx.on('stream.reset', refresh);
  const timer = setInterval(refresh, 60_000);
  await refresh();
  return () => {
    alive = false;
    clearInterval(timer);
  };
}
