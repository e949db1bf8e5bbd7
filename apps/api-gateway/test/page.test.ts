import { describe, expect, it } from 'vitest';
import { escapeHtml, html } from '../src/page/html.ts';
import { renderPage } from '../src/page/render.ts';
import { moduleView } from '../src/views/module-view.ts';
import { botModuleObject, entryOf } from './fixtures.ts';

describe('html', () => {
  it('escapes every interpolated string, keeps nested Html', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
    expect(html`<p>${'<b>'}${html`<i>${'&'}</i>`}${['<', html`<em>ok</em>`]}${null}${3}</p>`.value).toBe(
      '<p>&lt;b&gt;<i>&amp;</i>&lt;<em>ok</em>3</p>',
    );
    expect(() => html`${{}}`).toThrow();
  });
});

describe('the status page', () => {
  it('renders every module row and escapes hostile values from the cluster', () => {
    const hostile = '"><script>alert(1)</script>';
    const page = renderPage({
      namespaces: 'bots',
      modules: [
        moduleView(
          entryOf(botModuleObject('echo', { moduleName: 'echo', image: 'ghcr.io/eeveebot/echo:1.3.9' })),
        ),
        moduleView(
          entryOf(
            botModuleObject(
              'dice',
              { moduleName: 'dice', image: 'd:1' },
              { annotations: { 'eevee.bot/restartedAt': hostile } },
            ),
          ),
        ),
      ],
      events: [
        {
          kind: 'botmodule',
          namespace: 'bots',
          name: 'echo',
          event: 'ready',
          generation: 1,
          observedAt: '2026-01-01T00:00:00Z',
          message: '<img src=x onerror=alert(1)>',
        },
      ],
    });
    expect(page).toContain('data-namespace="bots" data-name="echo"');
    expect(page).toContain('ghcr.io/eeveebot/echo:1.3.9');
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    // The only script is the same-origin file the CSP allows.
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(page).toContain('<script src="/assets/status.js"></script>');
  });
});
