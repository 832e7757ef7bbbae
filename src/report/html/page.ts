import type { Environment } from '../../store/run-record.js';
import { escapeHtml, htmlTable } from './escape.js';

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; color: #222; max-width: 980px; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { border-bottom: 1px solid #ddd; padding-bottom: .2rem; margin-top: 2.2rem; } h3 { margin-top: 1.6rem; }
table { border-collapse: collapse; margin: .6rem 0; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #e5e5e5; padding: .25rem .6rem; text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; }
td { max-width: 28rem; overflow-wrap: anywhere; }
figure.chart { margin: 1rem 0; } figcaption { font-weight: 600; margin-bottom: .3rem; }
.note { color: #666; font-size: 12px; margin: .2rem 0; } code, pre { font: 12px ui-monospace, monospace; }
pre { background: #f6f6f6; padding: .6rem; overflow-x: auto; white-space: pre-wrap; }
@media print { body { margin: 0; max-width: none; } figure.chart, table { break-inside: avoid; } }
`;

/** A self-contained page: inline CSS and SVG, no script, no external resource. */
export function page(title: string, sections: readonly string[], environment: Environment | null, config: unknown): string {
  const env =
    environment === null
      ? ''
      : htmlTable(['', ''], [
          ['CPU', `${environment.cpuModel} × ${environment.cores}`],
          ['memory', `${(environment.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB`],
          ['platform', `${environment.platform} ${environment.arch}, Node ${environment.node}`],
          ['yardstick', `${environment.yardstickVersion}${environment.gitSha === null ? '' : ` (${environment.gitSha})`}`],
          ['host', environment.hostname],
        ]);
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
${sections.join('\n')}
<h2>environment and config</h2>
${env}
<pre>${escapeHtml(JSON.stringify(config, null, 2))}</pre>
<p class="note">Written by yardstick on ${escapeHtml(new Date().toISOString())}. Secrets are never stored, so none appear here.</p>
</body>
</html>
`;
}
