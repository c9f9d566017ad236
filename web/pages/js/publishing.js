// After a publish: each screen of the zone and where it stands with the new playlist (from the
// screens' reports, asked every second) until every one plays it.
import { call, cell, say } from './api.js';
import { t } from './i18n.js';
import './media_words.js';

let following = 0;  // a newer publish replaces the one followed

const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

function words(screen) {
  switch (screen.state) {
    case 'in step': return t('pub.in_step');
    case 'fetching': return `${t('pub.fetching')} ${screen.have} / ${screen.files}, ${mb(screen.bytes_left)} ${t('pub.left')}` +
      (screen.rate ? `, ${mb(screen.rate)}/s` : '');
    case 'error': return `${t('pub.error')}: ${screen.error}`;
    case 'waiting': return t('pub.waiting');
    case 'silent': return `${t('pub.silent')} ${Math.round(screen.heard_ms_ago / 1000)} ${t('media.seconds')}`;
    default: return t('pub.no_media');
  }
}

export async function followPublishing(zone, seq, table, summary) {
  const mine = ++following;
  const until = Date.now() + 30 * 60 * 1000;
  while (mine === following && Date.now() < until) {
    try {
      const answer = await call('GET', `/api/publishing?zone=${encodeURIComponent(zone)}&seq=${seq}`);
      if (mine !== following) return;
      table.replaceChildren();
      for (const screen of answer.screens) {
        const row = table.insertRow();
        row.dataset.state = screen.state;
        cell(row, screen.name);
        cell(row, words(screen), screen.state === 'error' || screen.state === 'silent' ? 'error' : '');
      }
      if (!answer.screens.length) { say(summary, t('pub.no_screens'), false); return; }
      if (answer.all_in_step) { say(summary, t('pub.all_in_step'), true); summary.dataset.done = 'yes'; return; }
      say(summary, t('pub.going'), true);
      delete summary.dataset.done;
    } catch (error) {
      say(summary, error.message, false);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
