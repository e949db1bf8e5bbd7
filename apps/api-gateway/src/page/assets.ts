// The status page's script and style, served from /assets/ so the page can forbid inline script (CSP). The
// script keeps the token in sessionStorage (this tab only, gone when it closes), enables the restart buttons
// once there is one, and writes every answer with textContent (never as HTML).
export const STATUS_SCRIPT = `'use strict';
(() => {
  const KEY = 'eevee-operator-api-token';
  const $ = (id) => document.getElementById(id);
  const token = () => sessionStorage.getItem(KEY) || '';
  const say = (text) => { $('result').textContent = text; };
  function refresh() {
    const has = token() !== '';
    for (const button of document.querySelectorAll('button.restart')) button.disabled = !has;
    $('token-state').textContent = has ? 'Token set for this tab.' : 'No token: restart buttons are off.';
    $('forget-token').disabled = !has;
  }
  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = $('token').value.trim();
    if (value) sessionStorage.setItem(KEY, value);
    $('token').value = '';
    refresh();
  });
  $('forget-token').addEventListener('click', () => {
    sessionStorage.removeItem(KEY);
    refresh();
  });
  async function restart(button) {
    const row = button.closest('tr');
    const ns = row.dataset.namespace;
    const name = row.dataset.name;
    if (!window.confirm('Restart ' + ns + '/' + name + '?')) return;
    button.disabled = true;
    say('Restarting ' + ns + '/' + name + '…');
    try {
      const response = await fetch(
        '/api/v1/namespaces/' + encodeURIComponent(ns) + '/botmodules/' + encodeURIComponent(name) + '/restart',
        { method: 'POST', headers: { Authorization: 'Bearer ' + token() } },
      );
      const body = await response.json().catch(() => ({}));
      if (response.status === 202) {
        row.querySelector('.restarted').textContent = body.restartedAt;
        say('Restart of ' + ns + '/' + name + ' requested at ' + body.restartedAt + '.');
      } else {
        say('Restart of ' + ns + '/' + name + ' failed: ' + response.status + ' ' + (body.error || ''));
      }
    } catch (err) {
      say('Restart of ' + ns + '/' + name + ' failed: ' + err);
    } finally {
      refresh();
    }
  }
  for (const button of document.querySelectorAll('button.restart'))
    button.addEventListener('click', () => void restart(button));
  refresh();
})();
`;

export const STATUS_STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1d1d1f; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
h2 { font-size: 1.1rem; margin-top: 2rem; }
.meta, .muted { color: #6e6e73; }
form { margin: 1rem 0; display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #e5e5ea; vertical-align: top; }
th { background: #f5f5f7; }
td.image, td.restarted, .events code { font-family: ui-monospace, monospace; font-size: 12px; }
.module-name { display: block; color: #6e6e73; font-size: 12px; }
.phase { font-weight: 600; }
.phase-Ready { color: #1a7f37; }
.phase-Unavailable, .phase-BootstrapRestoreFailed { color: #cf222e; }
.phase-Creating, .phase-Updating, .phase-Pending, .phase-Bootstrapping, .phase-WaitingForBackup { color: #9a6700; }
#result { min-height: 1.4em; font-weight: 600; }
.events { padding-left: 1.2rem; }
`;
