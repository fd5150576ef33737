// The tile kit: what the dashboard shell and every tile build with. Import it from the
// gateway's stable URL (see docs/PLUGINS.md, "The tile kit"):
//
//   import { h, button, errorText, loadStyles, confirmAction, sparkline } from '/ui/kit/index.js';
//
// Everything exported here is the kit's contract for plugins; its files' other
// exports may change.

export { sparkline, linePoints } from './chart.js';
export { confirmAction } from './dialog.js';
export { button, h, loadStyles } from './dom.js';
export { errorText, responseErrorText, showMessage } from './errors.js';
export { duration, formatBytes, plural, when } from './format.js';
export { STATES, setStatus, statusBadge } from './status.js';
export { alignSeries, formatValue, loadUPlot, timeChart } from './timechart.js';
