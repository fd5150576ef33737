// The UPS tile: status in words, and a chart of battery charge (and load) over the
// samples the gateway keeps. Plain DOM and SVG; every value goes in as text.
//
// Source: GET /api/ups.

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 240;
const HEIGHT = 60;

function svg(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  return node;
}

// Percent samples (0-100) as a polyline's points across the chart's width.
function points(samples, key) {
  const values = samples.map((s) => s[key]).filter((v) => typeof v === 'number');
  if (values.length < 2) return '';
  const step = WIDTH / (values.length - 1);
  return values
    .map((v, i) => `${(i * step).toFixed(1)},${(HEIGHT - (v / 100) * HEIGHT).toFixed(1)}`)
    .join(' ');
}

export default async function mount(container, ctx) {
  const line = document.createElement('p');
  const chart = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    width: '100%',
    height: HEIGHT,
    role: 'img',
    'aria-label': 'Battery charge and load over time',
  });
  const charge = svg('polyline', { fill: 'none', stroke: 'currentColor', 'stroke-width': 2 });
  const load = svg('polyline', {
    fill: 'none',
    stroke: 'currentColor',
    'stroke-width': 1,
    'stroke-dasharray': '4 3',
    opacity: 0.6,
  });
  chart.append(charge, load);
  const legend = document.createElement('small');
  legend.textContent = 'solid: battery %, dashed: load %';
  container.append(line, chart, legend);

  async function refresh() {
    try {
      const ups = await ctx.api.get('/api/ups');
      line.textContent = `${ups.ups} on ${ups.node}: ${ups.detail}`;
      charge.setAttribute('points', points(ups.history, 'charge'));
      load.setAttribute('points', points(ups.history, 'load'));
    } catch (err) {
      line.textContent = err.message;
    }
  }

  await refresh();
  const timer = setInterval(refresh, 10000);
  return () => clearInterval(timer);
}
