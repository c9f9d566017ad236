// Russian first, English too: the page's words by key; the choice is kept in localStorage.
const words = {
  ru: {
    'login.title': 'Вход в пульт табло', 'login.name': 'Имя', 'login.password': 'Пароль', 'login.enter': 'Войти',
    'nav.operator': 'Вызов', 'nav.staff': 'Контент', 'nav.screens': 'Экраны', 'nav.admin': 'Учётные записи', 'nav.logout': 'Выйти',
    'op.title': 'Вызов талона', 'op.ticket': 'Талон (Enter — вызвать)', 'op.window': 'Окно', 'op.call': 'Вызвать',
    'op.recall': 'Повторить', 'op.finish': 'Обслужен', 'op.cancel': 'Не подошёл', 'op.announce': 'Объявление',
    'op.template': 'Шаблон', 'op.text': 'Текст объявления', 'op.send': 'Объявить', 'op.hall': 'Сейчас на табло',
    'op.offline': 'Нет связи с сервером табло', 'col.ticket': 'Талон', 'col.window': 'Окно',
    'staff.ticker': 'Бегущая строка', 'staff.set': 'Показать', 'staff.clear': 'Убрать', 'staff.playlist': 'Плейлист зоны',
    'staff.add': 'Добавить элемент', 'staff.publish': 'Опубликовать', 'staff.withdraw': 'Вернуть плейлисты экранов',
    'scr.title': 'Экраны', 'scr.wall': 'Что показывают экраны', 'scr.proof': 'Отчёт о показах', 'scr.day': 'День',
    'scr.show': 'Показать', 'scr.csv': 'Скачать CSV', 'scr.counters': 'Счётчики хаба',
    'adm.accounts': 'Учётные записи', 'adm.tokens': 'Токены API', 'adm.audit': 'Журнал действий',
    'nav.media': 'Медиатека',
    'done': 'Готово', 'language': 'English',
  },
  en: {
    'login.title': 'Log in to the board console', 'login.name': 'Name', 'login.password': 'Password', 'login.enter': 'Log in',
    'nav.operator': 'Calls', 'nav.staff': 'Content', 'nav.screens': 'Screens', 'nav.admin': 'Accounts', 'nav.logout': 'Log out',
    'op.title': 'Call a ticket', 'op.ticket': 'Ticket (Enter calls)', 'op.window': 'Window', 'op.call': 'Call',
    'op.recall': 'Recall', 'op.finish': 'Served', 'op.cancel': 'Did not come', 'op.announce': 'Announcement',
    'op.template': 'Template', 'op.text': 'Announcement text', 'op.send': 'Announce', 'op.hall': 'On the board now',
    'op.offline': 'No connection to the board server', 'col.ticket': 'Ticket', 'col.window': 'Window',
    'staff.ticker': 'Ticker', 'staff.set': 'Show', 'staff.clear': 'Remove', 'staff.playlist': 'Zone playlist',
    'staff.add': 'Add an item', 'staff.publish': 'Publish', 'staff.withdraw': 'Back to the screens\' own playlists',
    'scr.title': 'Screens', 'scr.wall': 'What the screens show', 'scr.proof': 'Proof of play', 'scr.day': 'Day',
    'scr.show': 'Show', 'scr.csv': 'Download CSV', 'scr.counters': 'The hub\'s counters',
    'adm.accounts': 'Accounts', 'adm.tokens': 'API tokens', 'adm.audit': 'Audit log',
    'nav.media': 'Media library',
    'done': 'Done', 'language': 'Русский',
  },
};

export let language = localStorage.getItem('tablo.language') === 'en' ? 'en' : 'ru';

export function t(key) { return words[language][key] ?? key; }

// A page's own words, so that each page loads only the words it shows.
export function addWords(more) {
  for (const lang of Object.keys(more)) Object.assign(words[lang], more[lang]);
}

export function translate() {
  document.documentElement.lang = language;
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  const switcher = document.getElementById('language');
  if (switcher) switcher.textContent = t('language');
}

export function switchable() {
  const switcher = document.getElementById('language');
  if (!switcher) return;
  switcher.addEventListener('click', () => {
    language = language === 'ru' ? 'en' : 'ru';
    localStorage.setItem('tablo.language', language);
    translate();
  });
}
