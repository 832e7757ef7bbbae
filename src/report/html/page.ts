import type { Environment } from '../../core/environment.js';
import { configForDisplay } from './config-display.js';
import { escapeHtml, htmlTable } from './escape.js';

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; color: #222; max-width: 1240px; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { border-bottom: 1px solid #ddd; padding-bottom: .2rem; margin-top: 2.2rem; } h3 { margin-top: 1.6rem; }
table { border-collapse: collapse; margin: .6rem 0; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #e5e5e5; padding: .25rem .6rem; text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; }
td { max-width: 28rem; overflow-wrap: anywhere; }
td:not(:first-child) { white-space: nowrap; }
td.text, th.text { white-space: normal; text-align: left; }
nav.toc { background: #f7f7f7; padding: .4rem 1rem; margin: 1rem 0; } nav.toc ul { margin: .2rem 0; padding-left: 1.2rem; }
nav.toc li { margin: .1rem 0; } nav.toc a { color: #245; text-decoration: none; }
figure.chart { margin: 1rem 0; } figcaption { font-weight: 600; margin-bottom: .3rem; }
.note { color: #666; font-size: 12px; margin: .2rem 0; } code, pre { font: 12px ui-monospace, monospace; }
pre { background: #f6f6f6; padding: .6rem; overflow-x: auto; white-space: pre-wrap; }
@media print { body { margin: 0; max-width: none; } figure.chart, table { break-inside: avoid; } }
`;

interface Heading {
  level: 2 | 3;
  id: string;
  text: string;
}

/** Gives every h2 and h3 an id and lists them: the page's table of contents. */
function withAnchors(body: string): { body: string; headings: Heading[] } {
  const headings: Heading[] = [];
  const anchored = body.replace(/<h([23])>(.*?)<\/h\1>/g, (_match, level: string, text: string) => {
    const id = `s${headings.length + 1}`;
    headings.push({ level: level === '2' ? 2 : 3, id, text });
    return `<h${level} id="${id}">${text}</h${level}>`;
  });
  return { body: anchored, headings };
}

/** The contents: each h2, with its h3s under it. Heading text is already escaped HTML. */
function tableOfContents(headings: readonly Heading[]): string {
  const items: string[] = [];
  let open = false;
  for (const h of headings) {
    if (h.level === 2) {
      if (open) items.push('</ul></li>');
      items.push(`<li><a href="#${h.id}">${h.text}</a><ul>`);
      open = true;
    } else items.push(`<li><a href="#${h.id}">${h.text}</a></li>`);
  }
  if (open) items.push('</ul></li>');
  return `<nav class="toc"><strong>contents</strong><ul>${items.join('').replace(/<ul><\/ul>/g, '')}</ul></nav>`;
}

/** A self-contained page: inline CSS and SVG, no script, no external resource. */
export function page(
  title: string,
  sections: readonly string[],
  environment: Environment | null,
  config: unknown,
): string {
  const env =
    environment === null
      ? ''
      : htmlTable(
          ['', ''],
          [
            ['CPU', `${environment.cpuModel} × ${environment.cores}`],
            ['memory', `${(environment.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB`],
            ['platform', `${environment.platform} ${environment.arch}, Node ${environment.node}`],
            [
              'yardstick',
              `${environment.yardstickVersion}${environment.gitSha === null ? '' : ` (${environment.gitSha})`}`,
            ],
            ['host', environment.hostname],
          ],
        );
  const content = `${sections.join('\n')}\n<h2>environment and config</h2>\n${env}\n<pre>${escapeHtml(JSON.stringify(configForDisplay(config), null, 2))}</pre>`;
  const { body, headings } = withAnchors(content);
  const toc = tableOfContents(headings);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${toc}
${body}
<p class="note">Written by yardstick on ${escapeHtml(new Date().toISOString())}. Secrets are never stored, so none appear here.</p>
</body>
</html>
`;
}
