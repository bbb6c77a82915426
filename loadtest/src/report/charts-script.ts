// The browser-side script of report.html: reads the embedded result JSON and draws uPlot charts.
// Kept as plain ES2017 text (no imports) because it is inlined into a file that must open offline.

export const CHARTS_SCRIPT = String.raw`
(function () {
  var data = JSON.parse(document.getElementById('loadtest-data').textContent);
  var runs = data.runs;
  var palette = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];
  function nums(a) { return (a || []).map(function (v) { return v === null ? null : v; }); }
  function chart(el, title, t, lines, yLabel) {
    var opts = {
      title: title, width: Math.min(960, window.innerWidth - 40), height: 260,
      scales: { x: { time: false } },
      axes: [{ label: 'seconds' }, { label: yLabel }],
      series: [{ label: 's' }].concat(lines.map(function (l, i) {
        return { label: l.label, stroke: l.color || palette[i % palette.length], width: 1.5, dash: l.dash, spanGaps: true };
      })),
    };
    var box = document.createElement('div');
    box.className = 'chart';
    el.appendChild(box);
    new uPlot(opts, [t].concat(lines.map(function (l) { return nums(l.values); })), box);
  }
  var root = document.getElementById('charts');
  var tag = function (r, name) { return runs.length > 1 ? r.label + ': ' + name : name; };
  var tick = [], lat = [], bytes = [], load = [], cpu = [], area = [];
  // Compare mode overlays runs on one time axis: the longer run's axis, shorter runs padded.
  var t = runs.reduce(function (a, r) { return r.series.t.length > a.length ? r.series.t : a; }, []);
  function pad(a) { var out = (a || []).slice(); while (out.length < t.length) out.push(null); return out; }
  runs.forEach(function (r, ri) {
    var s = r.series, dash = ri === 0 ? undefined : [6, 4];
    Object.keys(s.tickPhases).forEach(function (p) {
      tick.push({ label: tag(r, p + ' p99'), values: pad(s.tickPhases[p].p99), dash: dash });
      if (p === 'total' || p === 'tick' || Object.keys(s.tickPhases).length === 1) {
        tick.push({ label: tag(r, p + ' max'), values: pad(s.tickPhases[p].max), dash: [2, 3] });
      }
    });
    lat.push({ label: tag(r, 'call rtt p50'), values: pad(s.rttP50), dash: dash });
    lat.push({ label: tag(r, 'call rtt p99'), values: pad(s.rttP99), dash: dash });
    lat.push({ label: tag(r, 'update p50'), values: pad(s.updateP50), dash: dash });
    lat.push({ label: tag(r, 'update p99'), values: pad(s.updateP99), dash: dash });
    bytes.push({ label: tag(r, 'in per client'), values: pad(s.bytesInPerClientPerSec), dash: dash });
    bytes.push({ label: tag(r, 'out per client'), values: pad(s.bytesOutPerClientPerSec), dash: dash });
    load.push({ label: tag(r, 'bots connected'), values: pad(s.connected), dash: dash });
    load.push({ label: tag(r, 'calls/s'), values: pad(s.callsPerSec), dash: dash });
    load.push({ label: tag(r, 'errors/s'), values: pad(s.errorsPerSec), dash: dash });
    cpu.push({ label: tag(r, 'server'), values: pad(s.serverCpu), dash: dash });
    s.workerCpu.forEach(function (w, i) { cpu.push({ label: tag(r, 'bot worker ' + i), values: pad(w), dash: [2, 3] }); });
    cpu.push({ label: tag(r, 'other processes'), values: pad(s.otherCpu), dash: [1, 3] });
    area.push({ label: tag(r, 'rows visible p50'), values: pad(s.areaRowsP50), dash: dash });
    area.push({ label: tag(r, 'server RSS MB'), values: pad(s.serverRssMb), dash: dash });
  });
  if (tick.length) chart(root, 'Server tick time per phase (ms)', t, tick, 'ms');
  else root.insertAdjacentHTML('beforeend', '<p class="warn">No tick-phase metrics were scraped.</p>');
  chart(root, 'Latency (ms): call round trip, update (server commit to client applied)', t, lat, 'ms');
  chart(root, 'Bytes per client per second', t, bytes, 'bytes/s');
  chart(root, 'Load', t, load, 'count');
  chart(root, 'CPU (cores)', t, cpu, 'cores');
  chart(root, 'Area size and server memory', t, area, 'rows / MB');
})();
`;
