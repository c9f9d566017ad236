// The console's JSON API (docs/HTTP-API.md) as the pages use it: the session's CSRF token on
// every change, a redirect to the login page when the session has ended.
import { switchable, translate } from './i18n.js';

let csrf = '';

// A Blob body (an upload's chunk) goes as it is, with `headers` (its Content-Range).
export async function call(method, path, body, headers = {}) {
  const options = { method, headers: { ...headers }, credentials: 'same-origin' };
  if (body instanceof Blob) { options.headers['Content-Type'] = 'application/octet-stream'; options.body = body; }
  else if (body !== undefined) { options.headers['Content-Type'] = 'application/json'; options.body = JSON.stringify(body); }
  if (method !== 'GET') options.headers['X-CSRF-Token'] = csrf;
  const response = await fetch(path, options);
  if (response.status === 401 && path !== '/api/login') { location.href = '/login.html'; throw new Error('session ended'); }
  const type = response.headers.get('Content-Type') || '';
  const data = type.startsWith('application/json') ? await response.json() : await response.text();
  if (!response.ok) throw Object.assign(new Error(data.error || String(data)), { status: response.status });
  return data;
}

// Who is logged in; the page's words and its header's links.
export async function start() {
  translate();
  switchable();
  const me = await call('GET', '/api/me');
  csrf = me.csrf;
  const who = document.getElementById('who');
  if (who) who.textContent = `${me.name} (${me.role}${me.window ? ', окно ' + me.window : ''})`;
  const logout = document.getElementById('logout');
  if (logout) logout.addEventListener('click', async () => { await call('POST', '/api/logout', {}); location.href = '/login.html'; });
  return me;
}

export function say(element, text, ok) {
  element.textContent = text;
  element.className = 'status ' + (ok ? 'ok' : 'error');
}

export function cell(row, text, cls) {
  const td = row.insertCell();
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
}
