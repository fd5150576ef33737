// The UPS tile: status in words, and a chart of battery charge (and load) over the
// samples the gateway keeps. Built with the dashboard's tile kit (docs/PLUGINS.md,
// "The tile kit"): every value goes in as text.
//
// Source: GET /api/ups.

import { errorText, h, sparkline } from '/ui/kit/index.js';

const REFRESH_MS = 10000;

// Percent samples (0-100); a missing reading is left out of its line.
const series = (history, key) => history.map((sample) => sample[key]);

export default async function mount(container, ctx) {
  const line = h('p');
  const chart = sparkline({
    label: 'Battery charge and load over time',
    lines: [{ name: 'charge' }, { name: 'load', dashed: true }],
    min: 0,
    max: 100,
  });
  container.append(line, chart.element, h('small', { text: 'solid: battery %, dashed: load %' }));

  async function refresh() {
    try {
      const ups = await ctx.api.get('/api/ups');
      line.textContent = `${ups.ups} on ${ups.node}: ${ups.detail}`;
      chart.update([series(ups.history, 'charge'), series(ups.history, 'load')]);
    } catch (error) {
      line.textContent = errorText(error);
    }
  }

  await refresh();
  const timer = setInterval(refresh, REFRESH_MS);
  return () => clearInterval(timer);
}
