import type { Problem } from '../../core/errors.js';
import { textLines } from './text-lines.js';
import {
  burstGptColumns,
  parseBurstGptLine,
  parseMooncakeLine,
  type TraceEntry,
  type TraceFormat,
} from './trace-formats.js';

/** A trace's lines in order, each as an entry or the problem that makes it unusable; blank lines are skipped. */
export function* traceLines(path: string, format: TraceFormat): Generator<TraceEntry | Problem> {
  let columns: number[] | null = null;
  for (const { line, text } of textLines(path)) {
    if (text.trim() === '') continue;
    const where = `${path}:${line}`;
    if (format === 'mooncake') {
      yield parseMooncakeLine(text, line, where);
      continue;
    }
    if (columns === null) {
      const header = burstGptColumns(text, where);
      if (!Array.isArray(header)) {
        yield header;
        return;
      }
      columns = header;
      continue;
    }
    yield parseBurstGptLine(text, line, where, columns);
  }
}

export function isEntry(item: TraceEntry | Problem): item is TraceEntry {
  return 'atMs' in item;
}
