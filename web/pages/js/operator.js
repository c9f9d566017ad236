// The operator's page: call to my window (Enter calls), recall, served, did not come,
// announcements; beside it the board as the screens have it, live (server-sent events).
import { call, cell, say, start } from './api.js';

const me = await start();
const $ = (id) => document.getElementById(id);
if (me.window) { $('window').value = me.window; $('window').readOnly = true; }

const ticket = () => $('ticket').value.trim().toUpperCase();
async function act(path, body, done) {
  try {
    const answer = await call('POST', path, { zone: me.zone || undefined, ...body });
    say($('call-status'), `${done} (№ ${answer.seq})`, true);
  } catch (error) {
    say($('call-status'), error.message, false);
  }
}
$('call').addEventListener('submit', (event) => {
  event.preventDefault();
  act('/api/call', { ticket: ticket(), window: $('window').value.trim() }, `${ticket()} → ${$('window').value}`);
});
$('do-recall').addEventListener('click', () => act('/api/recall', { ticket: ticket() }, `${ticket()} ↻`));
$('do-finish').addEventListener('click', () => act('/api/finish', { ticket: ticket() }, `${ticket()} ✓`));
$('do-cancel').addEventListener('click', () => act('/api/cancel', { ticket: ticket() }, `${ticket()} ✗`));

const templates = (await call('GET', '/api/templates')).templates;
$('template').add(new Option('—', ''));
for (const text of templates) $('template').add(new Option(text, text));
$('template').addEventListener('change', () => { if ($('template').value) $('announcement').value = $('template').value; });
$('announce').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await call('POST', '/api/announce', { text: $('announcement').value, zone: me.zone || undefined });
    say($('announce-status'), '✓', true);
  } catch (error) {
    say($('announce-status'), error.message, false);
  }
});

function draw(state) {
  $('offline').hidden = state.live;
  const rows = $('calls');
  rows.replaceChildren();
  for (const c of state.board.calls.slice(0, 10)) {
    const row = rows.insertRow();
    cell(row, c.ticket, 'ticket');
    cell(row, c.window);
  }
  $('hall-announcement').textContent = state.board.announcement ? '📢 ' + state.board.announcement.text : '';
  $('hall-ticker').textContent = state.board.ticker;
}
const live = new EventSource('/api/events' + (me.zone ? '?zone=' + encodeURIComponent(me.zone) : ''));
live.addEventListener('board', (event) => draw(JSON.parse(event.data)));
live.addEventListener('error', () => { $('offline').hidden = false; });
