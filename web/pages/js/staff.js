// Staff: the ticker, and a zone's playlist edited as a table and published as TOML, which the
// console checks with the screens' own reader (the same messages as for the file); after a
// publish, each screen's progress with it (publishing.js).
import { call, say, start } from './api.js';
import { followPublishing } from './publishing.js';

const me = await start();
const $ = (id) => document.getElementById(id);
for (const zone of me.zones) $('zone').add(new Option(zone, zone));
const zone = () => $('zone').value;

async function ticker(text) {
  try { await call('POST', '/api/ticker', { zone: zone(), text }); say($('ticker-status'), '✓', true); }
  catch (error) { say($('ticker-status'), error.message, false); }
}
$('set-ticker').addEventListener('click', () => ticker($('ticker').value));
$('clear-ticker').addEventListener('click', () => ticker(''));

const fields = ['file', 'duration', 'muted', 'volume', 'days', 'from', 'until', 'first_date', 'last_date'];
function addItem(values = {}) {
  const row = $('items').insertRow();
  for (const name of fields) {
    const input = document.createElement('input');
    input.name = name;
    input.setAttribute('aria-label', name);
    if (name === 'muted') { input.type = 'checkbox'; input.checked = values.muted ?? true; }
    else input.value = values[name] ?? '';
    input.addEventListener('input', showToml);
    row.insertCell().append(input);
  }
  const remove = document.createElement('button');
  remove.type = 'button'; remove.className = 'secondary'; remove.textContent = '✕'; remove.setAttribute('aria-label', 'remove');
  remove.addEventListener('click', () => { row.remove(); showToml(); });
  row.insertCell().append(remove);
  showToml();
}
const quoted = (text) => JSON.stringify(text);
// Numbers stay numbers when they read as one, so that the screens' reader judges what was typed.
const value = (text) => (/^-?\d+(\.\d+)?$/.test(text) ? text : quoted(text));
function toml() {
  let text = '';
  for (const row of $('items').rows) {
    const get = (name) => row.querySelector(`[name=${name}]`);
    text += `[[item]]\nfile = ${quoted(get('file').value)}\n`;
    if (get('duration').value) text += `duration = ${value(get('duration').value)}\n`;
    text += `muted = ${get('muted').checked}\n`;
    if (get('volume').value) text += `volume = ${value(get('volume').value)}\n`;
    if (get('days').value) text += `days = [${get('days').value.split(',').map((d) => quoted(d.trim())).join(', ')}]\n`;
    if (get('from').value) text += `from = ${quoted(get('from').value)}\n`;
    if (get('until').value) text += `until = ${quoted(get('until').value)}\n`;
    for (const name of ['first_date', 'last_date']) {
      const date = get(name).value;
      if (date) text += `${name} = ${/^\d{4}-\d{2}-\d{2}$/.test(date) ? date : quoted(date)}\n`;
    }
  }
  return text;
}
function showToml() { $('toml').value = toml(); }
$('add-item').addEventListener('click', () => addItem());
async function publish(text) {
  try {
    const a = await call('POST', '/api/playlist', { zone: zone(), text });
    say($('playlist-status'), `✓ № ${a.seq}`, true);
    followPublishing(zone(), a.seq, $('publishing'), $('publish-summary'));
  }
  catch (error) { say($('playlist-status'), error.message, false); }
}
$('publish').addEventListener('click', () => publish(toml()));
$('withdraw').addEventListener('click', () => publish(''));
addItem();
