// The words of the staff's media pages (media.html; on staff.html the publishing progress and
// the preview), kept apart so that the operator's page does not load them.
import { addWords } from './i18n.js';

addWords({
  ru: {
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
  },
  en: {
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
  },
});
