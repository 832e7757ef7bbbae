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
const { document } = (parseHTML as unknown as (html: string) => { document: unknown })('<!doctype html><html><head></head><body></body></html>');

export interface ChartFrame {
  /** Names the chart in the page (`data-chart`), for tests and links. */
  id: string;
  title: string;
  /** One line under the chart: how to read it, or what it leaves out. */
  note?: string;
}

/** One chart: Plot's options with the shared document and size, wrapped in a captioned figure. */
export function chart(frame: ChartFrame, options: Plot.PlotOptions): string {
  const svg = renderPlot({ document, width: 720, height: 300, marginLeft: 60, style: { fontSize: '11px', background: 'white' }, ...options });
  const note = frame.note === undefined ? '' : `<p class="note">${escapeHtml(frame.note)}</p>`;
  return `<figure class="chart" data-chart="${escapeHtml(frame.id)}"><figcaption>${escapeHtml(frame.title)}</figcaption>${svg.outerHTML}${note}</figure>`;
}

/** A note in place of a chart whose data the run does not have. */
export function missingChart(frame: ChartFrame, why: string): string {
  return `<figure class="chart missing" data-chart="${escapeHtml(frame.id)}" data-missing="true"><figcaption>${escapeHtml(frame.title)}</figcaption><p class="note">${escapeHtml(why)}</p></figure>`;
}

export { Plot };
