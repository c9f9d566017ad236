// What a playlist plays when on a day: the editor's draft or the zone's pushed playlist, as the
// screens' own schedule code works it out on the server (/api/preview).
import { call, say } from './api.js';
import { t } from './i18n.js';
import './media_words.js';

const $ = (id) => document.getElementById(id);
const today = new Date(Date.now() - new Date().getTimezoneOffset() * 60000).toISOString();
$('preview-day').value = today.slice(0, 10);
$('preview-at').value = today.slice(11, 16);

const seconds = (s) => (s === null ? '?' : `${Math.round(s * 10) / 10} ${t('media.seconds')}`);

async function preview() {
  const zone = $('zone').value, day = $('preview-day').value, at = $('preview-at').value;
  try {
    const answer = $('preview-source').value === 'pushed'
      ? await call('GET', `/api/preview?zone=${encodeURIComponent(zone)}&day=${day}&at=${at}`)
      : await call('POST', '/api/preview', { zone, day, at, text: $('toml').value });
    const list = $('preview');
    list.replaceChildren();
    answer.parts.forEach((part, index) => {
      const li = document.createElement('li');
      const round = part.items.map((i) => `${answer.items[i].file} (${seconds(answer.items[i].seconds)})`).join(' → ');
      li.textContent = `${part.from}–${part.until}: ${round || t('prev.slide')}` +
        (part.round_seconds !== null && part.items.length > 1 ? ` · ${t('prev.round')} ${seconds(part.round_seconds)}` : '');
      if (answer.at && answer.at.part === index) li.className = 'now';
      list.append(li);
    });
    if (answer.at) {
      const on = answer.at.item === null ? null : answer.items[answer.at.item].file;
      say($('preview-status'), `${answer.day} ${answer.at.time}: ${on ?? t('prev.slide')}`, true);
    }
  } catch (error) {
    say($('preview-status'), error.message, false);
  }
}
$('preview-show').addEventListener('click', preview);
