// IT: every screen with what it reports, a thumbnail wall (screenshots through the hub at a
// modest rate: the console reuses each for web.screenshot_seconds), proof of play, counters.
import { call, cell, say, start } from './api.js';

await start();
const $ = (id) => document.getElementById(id);
const thumbnails = new Map();

function inStep(screen, seqs) {
  return Object.entries(screen.seqs || {}).every(([zone, seq]) => seqs[zone] === undefined || seqs[zone].seq === seq);
}

async function refresh() {
  const [{ screens }, { status }] = await Promise.all([call('GET', '/api/screens'), call('GET', '/api/status')]);
  const rows = $('screens');
  rows.replaceChildren();
  for (const s of screens) {
    const row = rows.insertRow();
    cell(row, s.name); cell(row, s.zones.join(', ')); cell(row, s.version);
    cell(row, `${Math.round(s.heard_ms_ago / 1000)} s`); cell(row, s.playing || '—');
    cell(row, inStep(s, status.zones) ? '✓' : '…'); cell(row, s.audio); cell(row, String(s.dropped_frames));
    if (!thumbnails.has(s.name)) {
      const figure = document.createElement('figure');
      const img = document.createElement('img');
      img.alt = s.name;
      const caption = document.createElement('figcaption');
      caption.textContent = s.name;
      figure.append(img, caption);
      $('wall').append(figure);
      thumbnails.set(s.name, img);
      $('proof-screen').add(new Option(s.name, s.name));
    }
    thumbnails.get(s.name).src = `/api/screens/${encodeURIComponent(s.name)}/screenshot?at=${Date.now()}`;
  }
  const counters = $('counters');
  counters.replaceChildren();
  for (const [name, value] of Object.entries(status.counters)) {
    const row = counters.insertRow();
    cell(row, name); cell(row, String(value));
  }
}

$('day').value = new Date().toISOString().slice(0, 10);
function proofPath(format) {
  return `/api/screens/${encodeURIComponent($('proof-screen').value)}/proof-of-play?day=${$('day').value}${format ? '&format=' + format : ''}`;
}
$('csv').addEventListener('click', (event) => { event.preventDefault(); location.href = proofPath('csv'); });
$('show-proof').addEventListener('click', async () => {
  try {
    const { rows } = await call('GET', proofPath());
    const body = $('proof');
    body.replaceChildren();
    for (const r of rows) {
      const row = body.insertRow();
      cell(row, r.start); cell(row, String(r.seconds)); cell(row, r.type); cell(row, r.file || r.words || '');
    }
    say($('proof-status'), `${rows.length}`, true);
  } catch (error) {
    say($('proof-status'), error.message, false);
  }
});

await refresh();
setInterval(() => refresh().catch(() => {}), 10000);
