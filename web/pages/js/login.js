import { switchable, translate } from './i18n.js';
import { call, say } from './api.js';

translate();
switchable();
const homes = { operator: '/operator.html', staff: '/staff.html', admin: '/screens.html' };
document.getElementById('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const status = document.getElementById('status');
  try {
    const me = await call('POST', '/api/login', {
      name: document.getElementById('name').value, password: document.getElementById('password').value });
    location.href = homes[me.role] || '/';
  } catch (error) {
    say(status, error.message, false);
  }
});
