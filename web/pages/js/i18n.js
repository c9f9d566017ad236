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
    'media.upload': 'Загрузить файлы', 'media.drop': 'Перетащите сюда видео или картинки — или выберите их:', 'media.choose': 'Файлы',
    'media.library': 'Медиатека', 'media.name': 'Файл', 'media.kind': 'Вид', 'media.duration': 'Длительность', 'media.size': 'Размер',
    'media.picture': 'Изображение', 'media.used': 'В плейлистах зон', 'media.remove': 'Удалить', 'media.removed': 'Удалён',
    'media.empty': 'Медиатека пуста: загрузите файлы выше', 'media.kind.video': 'видео', 'media.kind.picture': 'картинка',
    'media.kind.sound': 'звук', 'media.checking': 'Проверка файла', 'media.resuming': 'Продолжаем с места обрыва',
    'media.offline': 'Нет связи, повтор через', 'media.seconds': 'с', 'media.refused': 'Не принят', 'media.added': 'Добавлен',
    'pub.title': 'Публикация на экранах', 'pub.screen': 'Экран', 'pub.state': 'Состояние', 'pub.in_step': 'готово: играет новый плейлист',
    'pub.fetching': 'загружает файлы', 'pub.left': 'осталось', 'pub.error': 'ошибка', 'pub.waiting': 'ещё не получил плейлист',
    'pub.silent': 'не на связи', 'pub.no_media': 'не показывает медиа', 'pub.no_screens': 'В этой зоне нет экранов на связи',
    'pub.all_in_step': 'Все экраны зоны играют новый плейлист', 'pub.going': 'Экраны получают плейлист…',
    'prev.title': 'Что и когда играет', 'prev.source': 'Плейлист', 'prev.draft': 'из редактора', 'prev.pushed': 'опубликованный в зоне',
    'prev.day': 'День', 'prev.at': 'Время', 'prev.show': 'Показать', 'prev.slide': 'заставка (название отделения и время)', 'prev.round': 'круг',
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
    'media.upload': 'Upload files', 'media.drop': 'Drop videos or pictures here, or choose them:', 'media.choose': 'Files',
    'media.library': 'Media library', 'media.name': 'File', 'media.kind': 'Kind', 'media.duration': 'Length', 'media.size': 'Size',
    'media.picture': 'Picture', 'media.used': 'In the playlists of zones', 'media.remove': 'Remove', 'media.removed': 'Removed',
    'media.empty': 'The library is empty: upload files above', 'media.kind.video': 'video', 'media.kind.picture': 'picture',
    'media.kind.sound': 'sound', 'media.checking': 'Checking the file', 'media.resuming': 'Going on from where it stopped',
    'media.offline': 'No connection, trying again in', 'media.seconds': 's', 'media.refused': 'Refused', 'media.added': 'Added',
    'pub.title': 'Publishing to the screens', 'pub.screen': 'Screen', 'pub.state': 'State', 'pub.in_step': 'in step: plays the new playlist',
    'pub.fetching': 'fetching files', 'pub.left': 'to go', 'pub.error': 'error', 'pub.waiting': 'has not got the playlist yet',
    'pub.silent': 'not heard from for', 'pub.no_media': 'shows no media', 'pub.no_screens': 'No screen of this zone is reporting',
    'pub.all_in_step': 'Every screen of the zone plays the new playlist', 'pub.going': 'The screens are taking the playlist…',
    'prev.title': 'What plays when', 'prev.source': 'Playlist', 'prev.draft': 'from the editor', 'prev.pushed': 'published in the zone',
    'prev.day': 'Day', 'prev.at': 'Time', 'prev.show': 'Show', 'prev.slide': 'the slide (branch name and time)', 'prev.round': 'round',
    'nav.media': 'Media library',
    'done': 'Done', 'language': 'Русский',
  },
};

export let language = localStorage.getItem('tablo.language') === 'en' ? 'en' : 'ru';

export function t(key) { return words[language][key] ?? key; }

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
