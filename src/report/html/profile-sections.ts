import type { ProfileJson } from '../../runs/profile-json.js';
import { cellNumber, escapeHtml, htmlTable } from './escape.js';
import { tradeoffSection } from './tradeoff-section.js';

/** A profile's own sections: its description, the reference models it served, each suite's tradeoff, failures. */
export function profileSections(p: ProfileJson): string[] {
  const sections: string[] = [];
  if (p.description !== null) sections.push(`<p>${escapeHtml(p.description)}</p>`);
  if (p.models.length > 0) {
    sections.push(
      '<h2>models</h2>',
      htmlTable(
        ['model', 'what it is', 'training (s)', 'validation accuracy'],
        p.models.map((m) => [
          m.id,
          m.description,
          m.trainMs === undefined ? '—' : cellNumber(m.trainMs / 1000, 1),
          m.validationAccuracy === undefined || m.validationAccuracy === null
            ? '—'
            : `${cellNumber(m.validationAccuracy)} (n=${m.validationExamples ?? '?'})`,
        ]),
        [1],
      ),
    );
  }
  if (p.tradeoffs.length > 0)
    sections.push('<h2>tradeoff</h2>', ...p.tradeoffs.map((t) => tradeoffSection(t.suite, t.tradeoff, t.note)));
  const failed = p.runs.filter((c) => typeof c.error === 'string');
  if (failed.length > 0)
    sections.push(
      '<h2>failed because of the target</h2>',
      htmlTable(
        ['run of', 'target', 'run', 'why'],
        failed.map((c) => [`${c.kind} ${c.of}`, c.target, c.runId ?? 'no run', c.error ?? '']),
        [3],
      ),
    );
  return sections;
}

/** Each suite's recommended target, from a profile's tradeoffs, as list items. */
export function profileRecommendations(p: ProfileJson): string[] {
  return p.tradeoffs.map((t) => {
    const rec = t.tradeoff?.recommendation ?? null;
    if (rec === null)
      return `<li>${escapeHtml(t.suite)}: no recommendation (${escapeHtml(t.note ?? 'no target met every constraint')})</li>`;
    const overlap =
      rec.overlapsWith.length === 0
        ? ''
        : `; its accuracy interval overlaps ${rec.overlapsWith.join(', ')}, so the data cannot tell which is more accurate`;
    return `<li>${escapeHtml(t.suite)}: <strong>${escapeHtml(rec.target)}</strong> — ${escapeHtml(rec.reason + overlap)}</li>`;
  });
}
