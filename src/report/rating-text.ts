import type { AgreementStatistic, RatingJson } from '../rating/agreement-summary.js';

const three = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '—');

/** A statistic as `v [lo, hi] (n items)`, or a dash. */
export function statisticText(s: AgreementStatistic | null): string {
  if (s === null) return '— (too few items, or no variation)';
  const interval = s.interval === null ? '' : ` [${three(s.interval[0])}, ${three(s.interval[1])}]`;
  return `${three(s.value)}${interval} (${s.items} items)`;
}

/** The task's findings, one per line: raters, agreement, the raters' verdict, the eval against them. */
export function ratingLines(r: RatingJson): string[] {
  const of = r.against === null ? `eval run ${r.source}` : `eval runs ${r.source} (A) and ${r.against} (B)`;
  const out = [
    `${r.items} items of ${of}, rubric ${r.rubric}; raters: ${r.raters.map((x) => `${x.name} (${x.rated})`).join(', ') || 'none yet'}`,
  ];
  for (const p of r.pairs)
    out.push(
      `Cohen's kappa ${p.raters[0]} × ${p.raters[1]}: ${statisticText(p.kappa)}; raw agreement ${three(p.agreement)}`,
    );
  if (r.fleiss !== null) out.push(`Fleiss' kappa (items every rater rated): ${statisticText(r.fleiss)}`);
  if (r.alpha !== null) out.push(`Krippendorff's alpha (${r.alpha.level}): ${statisticText(r.alpha)}`);
  if (r.human !== null) {
    const what = r.human.measure === 'pass-rate' ? "raters' pass rate (majority per item)" : 'mean rating';
    const interval = r.human.interval === null ? '' : ` [${three(r.human.interval[0])}, ${three(r.human.interval[1])}]`;
    out.push(`${what}: ${three(r.human.value)}${interval} over ${r.human.items} items`);
  }
  if (r.preference !== null) {
    const p = r.preference;
    const interval = p.interval === null ? '' : ` [${three(p.interval[0])}, ${three(p.interval[1])}]`;
    out.push(
      `raters prefer B on ${p.bWins}, A on ${p.aWins}, tie on ${p.ties} (majority per item); B's share of the decided items ${three(p.bWinShare)}${interval}, sign test p = ${three(p.pValue)}`,
    );
  }
  if (r.judge !== null) {
    out.push(
      `eval verdict against the raters: agreement ${three(r.judge.agreement)}, kappa ${statisticText(r.judge.kappa)}`,
    );
    for (const s of r.judge.scorers)
      out.push(`  scorer ${s.name}: agreement ${three(s.agreement)}, kappa ${statisticText(s.kappa)}`);
  }
  if (r.disagreementCount > 0)
    out.push(
      `raters disagree on ${r.disagreementCount} item${r.disagreementCount === 1 ? '' : 's'}: ${r.disagreements
        .slice(0, 8)
        .map(
          (d) =>
            `${d.itemId} (${Object.entries(d.ratings)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')})`,
        )
        .join('; ')}`,
    );
  return out;
}
