// Staff: the hub's media library — what each file is and which zones' playlists use it —
// uploads by drag and drop, and removal. A file goes up in 1 MiB chunks; the hub keeps what
// arrived, so a cut connection, or a reload and the same file dropped again, goes on from there.
import { call, cell, say, start } from './api.js';
import { t } from './i18n.js';
import './media_words.js';
import { Sha256 } from './sha256.js';

await start();
const $ = (id) => document.getElementById(id);
const chunk = 1024 * 1024;

const size = (bytes) => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.ceil(bytes / 1e3)} KB`);
const clock = (seconds) => `${Math.floor(seconds / 60)}:${String(Math.round(seconds % 60)).padStart(2, '0')}`;

async function showLibrary() {
  try {
    const { media } = await call('GET', '/api/media');
    const body = $('library');
    body.replaceChildren();
    for (const item of media) {
      const row = body.insertRow();
      cell(row, item.name, 'file');
      cell(row, t(`media.kind.${item.kind}`));
      cell(row, item.duration > 0 ? clock(item.duration) : '—');
      cell(row, size(item.size));
      cell(row, item.width ? `${item.width}×${item.height}${item.rotation ? ` ↻${item.rotation}°` : ''}` : '—');
      cell(row, item.used_by.length ? item.used_by.join(', ') : '—');
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'secondary';
      remove.textContent = t('media.remove');
      remove.setAttribute('aria-label', `${t('media.remove')} ${item.name}`);
      remove.addEventListener('click', () => removeFile(item.name));
      row.insertCell().append(remove);
    }
    say($('library-status'), media.length ? '' : t('media.empty'), true);
  } catch (error) {
    say($('library-status'), error.message, false);
  }
}

async function removeFile(name) {
  try {
    await call('DELETE', `/api/media/${encodeURIComponent(name)}`);
    say($('library-status'), `${t('media.removed')}: ${name}`, true);
  } catch (error) {
    say($('library-status'), error.message, false);  // in use: the hub names the zone
  }
  showLibrary();
}

// One upload's line: name, a progress bar, and what is happening in words.
function uploadLine(file) {
  const line = document.createElement('li');
  const label = document.createElement('span');
  label.className = 'file';
  label.textContent = `${file.name} (${size(file.size)})`;
  const bar = document.createElement('progress');
  bar.max = file.size || 1;
  bar.value = 0;
  bar.setAttribute('aria-label', file.name);
  const words = document.createElement('span');
  words.className = 'status';
  line.append(label, ' ', bar, ' ', words);
  $('uploads').append(line);
  return {
    show(text, done) { words.textContent = text; words.className = 'status'; if (done !== undefined) bar.value = done; },
    end(text, ok) { say(words, text, ok); if (ok) bar.value = bar.max; },
  };
}

// The file's SHA-256, which names the upload at the hub; kept until the upload ends, so that
// dropping the same file again after a reload does not read it all again.
async function hashOf(file, line) {
  const key = `tablo.sha256.${file.name}.${file.size}.${file.lastModified}`;
  const kept = localStorage.getItem(key);
  if (kept) return [kept, key];
  const sha = new Sha256();
  for (let at = 0; at < file.size; at += 4 * chunk) {
    line.show(`${t('media.checking')} ${Math.floor((100 * at) / file.size)} %`);
    sha.update(new Uint8Array(await file.slice(at, at + 4 * chunk).arrayBuffer()));
  }
  const hex = sha.hex();
  localStorage.setItem(key, hex);
  return [hex, key];
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const refusal = (error) => error.status >= 400 && error.status < 500;

// Where the upload stands at the hub (media_add); while there is no connection, or tablo-web or
// the hub are busy or gone, it waits and asks again. A refusal (409: the hub's reason) is thrown.
async function where(begin, line) {
  for (let offline = 0; ; offline++) {
    try {
      return await begin();
    } catch (error) {
      if (refusal(error)) throw error;
      const wait = Math.min(15, 2 ** offline);
      line.show(`${t('media.offline')} ${wait} ${t('media.seconds')} (${error.message})`);
      await pause(wait * 1000);
    }
  }
}

async function upload(file) {
  const line = uploadLine(file);
  const [sha, key] = await hashOf(file, line);
  const begin = () => call('POST', '/api/media/uploads', { name: file.name, sha256: sha, size: file.size });
  const refused = (error) => { localStorage.removeItem(key); line.end(`${t('media.refused')}: ${error.message}`, false); };
  let answer;
  try { answer = await where(begin, line); } catch (error) { refused(error); return; }  // too large, disk full, a name taken
  if (answer.have > 0 && !answer.item) line.show(t('media.resuming'), answer.have);
  let resyncs = 0;
  while (!answer.item) {
    const from = answer.have, last = Math.min(from + chunk, file.size) - 1;
    try {
      answer = await call('POST', `/api/media/uploads/${sha}`, file.slice(from, last + 1), { 'Content-Range': `bytes ${from}-${last}/${file.size}` });
      resyncs = 0;
      line.show(`${size(answer.have)} / ${size(file.size)}`, answer.have);
      continue;
    } catch (error) {
      // The last chunk refused: the hub checked the whole file and will not have it (not a
      // video or picture, damaged). Any other refusal is a chunk it did not expect, or one cut
      // off on the way: ask where to go on, five times in a row at most.
      if (error.status === 409 && last + 1 === file.size) {
        // Unless the file is in after all (the answer to an earlier try was lost).
        const { media } = await call('GET', '/api/media').catch(() => ({ media: [] }));
        const item = media.find((i) => i.name === file.name && i.sha256 === sha);
        if (!item) { refused(error); return; }
        answer = { item };
        break;
      }
      if (refusal(error) && ++resyncs > 5) { refused(error); return; }
      if (error.status === 503) await pause(1000);  // tablo-web busy with other chunks
    }
    try { answer = await where(begin, line); } catch (error) { refused(error); return; }
  }
  localStorage.removeItem(key);
  line.end(`${t('media.added')}: ${answer.item.name}`, true);
  showLibrary();
}

let queue = Promise.resolve();
function take(files) {
  for (const file of files) queue = queue.then(() => upload(file)).catch((error) => say($('library-status'), error.message, false));
}
$('files').addEventListener('change', () => { take([...$('files').files]); $('files').value = ''; });
const drop = $('drop');
drop.addEventListener('dragover', (event) => { event.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (event) => { event.preventDefault(); drop.classList.remove('over'); take([...event.dataTransfer.files]); });
showLibrary();
