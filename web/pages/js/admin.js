// The admin: accounts, integrations' API tokens, the audit log, reloading the settings.
import { call, cell, say, start } from './api.js';

await start();
const $ = (id) => document.getElementById(id);

function button(text, action) {
  const b = document.createElement('button');
  b.type = 'button'; b.className = 'secondary'; b.textContent = text;
  b.addEventListener('click', action);
  return b;
}

async function refresh() {
  const [{ accounts }, { tokens }, { audit }] = await Promise.all(
    [call('GET', '/api/accounts'), call('GET', '/api/tokens'), call('GET', '/api/audit?limit=100')]);
  $('accounts').replaceChildren();
  for (const a of accounts) {
    const row = $('accounts').insertRow();
    cell(row, a.name); cell(row, a.role); cell(row, a.window); cell(row, a.zone);
    row.insertCell().append(button('✕', () => act($('account-status'), 'DELETE', `/api/accounts/${encodeURIComponent(a.name)}`)));
  }
  $('tokens').replaceChildren();
  for (const t of tokens) {
    const row = $('tokens').insertRow();
    cell(row, String(t.id)); cell(row, t.name); cell(row, t.role); cell(row, t.revoked ? '✓' : '');
    if (!t.revoked) row.insertCell().append(button('✕', () => act($('token-status'), 'DELETE', `/api/tokens/${t.id}`)));
  }
  $('audit').replaceChildren();
  for (const e of audit) {
    const row = $('audit').insertRow();
    cell(row, new Date(e.at).toLocaleString()); cell(row, e.who); cell(row, e.address); cell(row, e.what); cell(row, e.result);
  }
}

async function act(status, method, path, body) {
  try { const a = await call(method, path, body); say(status, a.token ? `token: ${a.token}` : a.reloaded || '✓', true); }
  catch (error) { say(status, error.message, false); }
  await refresh();
}
$('add-account').addEventListener('submit', (event) => {
  event.preventDefault();
  act($('account-status'), 'POST', '/api/accounts', { name: $('a-name').value, password: $('a-password').value,
    role: $('a-role').value, window: $('a-window').value });
});
$('add-token').addEventListener('submit', (event) => {
  event.preventDefault();
  act($('token-status'), 'POST', '/api/tokens', { name: $('t-name').value, role: $('t-role').value });
});
$('reload').addEventListener('click', () => act($('account-status'), 'POST', '/api/reload', {}));
await refresh();
