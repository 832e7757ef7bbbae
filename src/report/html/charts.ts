import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { escapeHtml } from './escape.js';

// Every chart is Observable Plot rendered to SVG on the server against a linkedom document: the report carries no
// script, and Plot writes data text through DOM text nodes, which serialise escaped.
// Plot's and linkedom's types name DOM types this Node project does not load; these narrow ones say what is used.
interface Markup {
  outerHTML: string;
}
const renderPlot = Plot.plot as unknown as (options: Plot.PlotOptions & { document: unknown }) => Markup;
const { document } = (parseHTML as unknown as (html: string) => { document: unknown })(
  '<!doctype html><html><head></head><body></body></html>',
);

export interface ChartFrame {
  /** Names the chart in the page (`data-chart`), for tests and links. */
  id: string;
  title: string;
  /** One line under the chart: how to read it, or what it leaves out. */
  note?: string;
}

/** One chart: Plot's options with the shared document and size, wrapped in a captioned figure. */
export function chart(frame: ChartFrame, options: Plot.PlotOptions): string {
  const svg = renderPlot({
    document,
    width: 720,
    height: 300,
    marginLeft: 60,
    style: { fontSize: '11px', background: 'white' },
    ...options,
  });
  const note = frame.note === undefined ? '' : `<p class="note">${escapeHtml(frame.note)}</p>`;
  return `<figure class="chart" data-chart="${escapeHtml(frame.id)}"><figcaption>${escapeHtml(frame.title)}</figcaption>${svg.outerHTML}${note}</figure>`;
}

/** A note in place of a chart whose data the run does not have. */
export function missingChart(frame: ChartFrame, why: string): string {
  return `<figure class="chart missing" data-chart="${escapeHtml(frame.id)}" data-missing="true"><figcaption>${escapeHtml(frame.title)}</figcaption><p class="note">${escapeHtml(why)}</p></figure>`;
}

/**
 * Tick labels of a millisecond axis: plain numbers (0.5, 2, 1,500), never the SI prefixes a log axis uses by default,
 * which would print half a millisecond as "500m".
 */
export function msTick(value: number): string {
  if (!Number.isFinite(value)) return '';
  return Number(value.toPrecision(3)).toLocaleString('en-US', { maximumFractionDigits: 3 });
}

/** The options of a millisecond axis. */
export function msAxis(
  label: string,
  options: { log?: boolean; grid?: boolean; inset?: number } = {},
): Plot.ScaleOptions {
  return {
    label,
    tickFormat: msTick,
    grid: options.grid ?? true,
    ...(options.log === true ? { type: 'log' as const } : {}),
    ...(options.inset === undefined ? {} : { inset: options.inset }),
  };
}

/** The marks of a confusion matrix: shaded cells and their counts, white on the darker half of the shades so that they stay readable. */
export function confusionMarks(data: readonly { expected: string; predicted: string; n: number }[]): Plot.Markish[] {
  const most = Math.max(1, ...data.map((d) => d.n));
  return [
    Plot.cell(data, { x: 'predicted', y: 'expected', fill: 'n', inset: 1 }),
    Plot.text(data, {
      x: 'predicted',
      y: 'expected',
      text: 'n',
      fill: (d: { n: number }) => (d.n > most * 0.5 ? 'white' : 'black'),
      fontWeight: 600,
    }),
  ];
}

export { Plot };
