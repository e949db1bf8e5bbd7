// The read-only status page: each module with its phase, ready/desired replicas, image and last restart, a
// restart button per module (usable once a token is entered), and the latest control-plane events.
import type { OperatorEvent } from '@eevee/crds';
import type { ModuleView } from '../schemas.ts';
import { html } from './html.ts';
import type { Html } from './html.ts';

export interface PageModel {
  namespaces: string;
  modules: readonly ModuleView[];
  events: readonly OperatorEvent[];
}

function moduleRow(m: ModuleView): Html {
  const phase = m.phase ?? 'Unknown';
  return html`<tr data-namespace="${m.namespace}" data-name="${m.name}">
    <td class="namespace">${m.namespace}</td>
    <td>
      <span class="name">${m.name}</span
      >${m.moduleName === m.name ? '' : html`<span class="module-name">${m.moduleName}</span>`}
    </td>
    <td class="phase phase-${phase}">${phase}${m.enabled ? '' : ' (disabled)'}</td>
    <td class="replicas">${m.replicas.ready}/${m.replicas.desired}</td>
    <td class="image">${m.image}</td>
    <td class="restarted">${m.restartedAt ?? 'never'}</td>
    <td><button type="button" class="restart" disabled>Restart</button></td>
  </tr>`;
}

function eventItem(e: OperatorEvent): Html {
  return html`<li>
    <code>${e.observedAt}</code> ${e.kind} <strong>${e.namespace}/${e.name}</strong> ${e.event}${
      e.message ? html` <span class="muted">${e.message}</span>` : ''
    }
  </li>`;
}

export function renderPage(model: PageModel): string {
  const rows = model.modules.length
    ? model.modules.map(moduleRow)
    : html`<tr>
        <td colspan="7" class="muted">No BotModules.</td>
      </tr>`;
  const events = model.events.length
    ? html`<ul class="events" id="events">
        ${model.events.map(eventItem)}
      </ul>`
    : html`<p class="muted" id="events">No events seen yet.</p>`;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>eevee operator</title>
        <link rel="stylesheet" href="/assets/status.css" />
      </head>
      <body>
        <h1>eevee operator</h1>
        <p class="meta">
          Namespaces: ${model.namespaces} · ${model.modules.length} modules · <a href="/">refresh</a> ·
          <a href="/api/openapi.json">API</a>
        </p>
        <form id="token-form" autocomplete="off">
          <label for="token">API token</label>
          <input id="token" type="password" autocomplete="off" spellcheck="false" />
          <button type="submit" id="save-token">Use token</button>
          <button type="button" id="forget-token">Forget</button>
          <span id="token-state" class="muted"></span>
        </form>
        <table id="modules">
          <thead>
            <tr>
              <th>Namespace</th>
              <th>Module</th>
              <th>Phase</th>
              <th>Ready</th>
              <th>Image</th>
              <th>Last restart</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            ${rows}
          </tbody>
        </table>
        <p id="result" role="status"></p>
        <h2>Recent events</h2>
        ${events}
        <script src="/assets/status.js"></script>
      </body>
    </html> `.value;
}
