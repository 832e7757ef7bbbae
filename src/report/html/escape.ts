/** Text made safe for HTML content and attribute values: every model output and dataset string goes through this. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  );
}

/** A number for a table cell: fixed digits, or a dash when missing. */
export function cellNumber(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

/**
 * An HTML table; cells are escaped here. Cells after the first keep to one line (numbers and intervals never wrap),
 * except in `textColumns` (by index), which hold prose and wrap.
 */
export function htmlTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  textColumns: readonly number[] = [],
): string {
  const head = header
    .map((h, i) => (textColumns.includes(i) ? `<th class="text">${escapeHtml(h)}</th>` : `<th>${escapeHtml(h)}</th>`))
    .join('');
  const cell = (c: string, i: number): string =>
    textColumns.includes(i) ? `<td class="text">${escapeHtml(c)}</td>` : `<td>${escapeHtml(c)}</td>`;
  const body = rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}
