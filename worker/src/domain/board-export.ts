/**
 * A board and its plans as files a district keeps: Markdown to read and paste into its
 * documents, CSV for spreadsheets. Built from the board as the exporter sees it, keeping
 * only what everyone on the board sees (no pending, hidden or deleted cards, no authors
 * on an anonymous board, no dots before they are revealed).
 */
import type { BoardState, CardView, PlanView } from './boards';
import { competencies, hexagonIndicators, strategies } from './framework';

/** What GET /api/boards/:id/export sends: Markdown by default or CSV, of the board or of its plans. */
export const EXPORT_FORMATS = ['markdown', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_PARTS = ['board', 'plan'] as const;
export type ExportPart = (typeof EXPORT_PARTS)[number];
export const DEFAULT_EXPORT_FORMAT: ExportFormat = 'markdown';
export const DEFAULT_EXPORT_PART: ExportPart = 'board';

/** The header rows of the two CSV exports. */
export const BOARD_CSV_COLUMNS = [
  'column',
  'position',
  'text',
  'focuses',
  'cluster',
  'author',
  'dots',
  'comments',
] as const;
export const PLAN_CSV_COLUMNS = ['focus', 'section', 'item', 'text'] as const;

/** The file an export downloads as: the board's title as a slug, `-plan` for its plans. */
export function exportFilename(title: string, part: ExportPart, format: ExportFormat): string {
  const slug =
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'board';
  return `${slug}${part === 'plan' ? '-plan' : ''}.${format === 'csv' ? 'csv' : 'md'}`;
}

const competencyName = new Map(competencies.map((c) => [c.id, c.name]));
const strategyName = new Map(strategies.map((s) => [s.id, s.name]));

const FEEDBACK_LABELS: Record<string, string> = {
  relevance: 'Relevance (1–5)',
  quality: 'Quality (1–5)',
  preparedness: 'Change in preparedness (−2 to +2)',
  recommend: 'Likelihood to recommend (0–10)',
  comment: 'Comment',
};

const shared = (state: BoardState) =>
  state.cards.filter((card) => card.deletedAt === null && card.status === 'visible');

/** Markdown text on one line, with the characters that would start markup escaped. */
function inline(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/([\\`*_[\]<>#|])/g, '\\$1');
}

function cardLine(card: CardView, state: BoardState): string {
  // A card's clusterId is already null when its cluster was ungrouped.
  const cluster = state.clusters.find((c) => c.id === card.clusterId);
  const extras = [
    card.tags.length > 0 ? `focuses: ${card.tags.map((id) => competencyName.get(id) ?? id).join(', ')}` : '',
    cluster ? `cluster: ${inline(cluster.name)}` : '',
    card.votes !== null ? `${card.votes} ${card.votes === 1 ? 'dot' : 'dots'}` : '',
    card.author ? `by ${inline(card.author)}` : '',
  ].filter(Boolean);
  const lines = [`- ${inline(card.text)}${extras.length > 0 ? ` _(${extras.join('; ')})_` : ''}`];
  for (const comment of card.comments.filter((c) => c.deletedAt === null)) {
    lines.push(`  - ${inline(comment.text)}${comment.author ? ` — ${inline(comment.author)}` : ''}`);
  }
  return lines.join('\n');
}

const fixed = (value: number | null) => (value === null ? '–' : value.toFixed(2));

export function boardMarkdown(state: BoardState, exportedAt = new Date()): string {
  const cards = shared(state);
  const out = [
    `# ${inline(state.title)}`,
    '',
    `Campaign: ${inline(state.campaignTitle)}  `,
    `Phase ${state.phase + 1} of ${state.phases.length}: ${state.phases[state.phase] ?? ''}  `,
    `Exported ${exportedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC${state.anonymous ? ' · anonymous board: authors are not shown' : ''}${state.votesRevealed ? '' : ' · votes not revealed'}`,
  ];
  for (const column of state.columns) {
    const inColumn = cards.filter((card) => card.column === column.id);
    out.push('', `## ${column.name}`, '');
    out.push(inColumn.length > 0 ? inColumn.map((card) => cardLine(card, state)).join('\n') : '_No cards._');
  }
  if (state.template === 'hexagon' && state.hexagon.length > 0) {
    out.push(
      '',
      '## Hexagon Tool ratings',
      '',
      'Mean (standard deviation, number of ratings); ⚑ marks ratings 3 or more points apart.',
      '',
    );
    out.push(`| Program | ${hexagonIndicators.map((i) => i.name).join(' | ')} |`);
    out.push(`| --- | ${hexagonIndicators.map(() => '---').join(' | ')} |`);
    for (const row of state.hexagon) {
      const program = cards.find((card) => card.id === row.cardId)?.text ?? '';
      const cells = row.indicators.map(
        (s) => `${fixed(s.mean)} (${fixed(s.sd)}, ${s.n})${s.wideDisagreement ? ' ⚑' : ''}`,
      );
      out.push(`| ${inline(program)} | ${cells.join(' | ')} |`);
    }
  }
  if (state.plans.length > 0) out.push('', planMarkdown(state, 2));
  return `${out.join('\n')}\n`;
}

function planSection(plan: PlanView, depth: number): string[] {
  const h = '#'.repeat(depth);
  const out = [`${h} Plan: ${inline(plan.name)}`, ''];
  out.push(
    `${h}# Learning progression`,
    '',
    '| Level | Educators will | Staff will | Students will |',
    '| --- | --- | --- | --- |',
  );
  plan.progression.forEach((level, index) => {
    out.push(`| ${index + 1} | ${inline(level.educators)} | ${inline(level.staff)} | ${inline(level.students)} |`);
  });
  out.push('', `${h}# Strategies`, '');
  out.push(
    plan.strategies.length > 0
      ? plan.strategies.map((id) => `- ${strategyName.get(id) ?? id}`).join('\n')
      : '_None chosen yet._',
  );
  out.push('', `${h}# Pilot group`, '');
  out.push(
    plan.pilotGroup
      ? `${plan.pilotGroup.members} members across ${plan.pilotGroup.schools} ${plan.pilotGroup.schools === 1 ? 'school' : 'schools'}${plan.pilotGroup.coach ? `; coach: ${inline(plan.pilotGroup.coach)}` : ''}.`
      : '_No pilot group confirmed yet._',
  );
  out.push('', `${h}# Timeline`, '');
  out.push(
    plan.timeline.length > 0
      ? plan.timeline.map((step) => `- **${inline(step.when)}**: ${inline(step.what)}`).join('\n')
      : '_No steps yet._',
  );
  out.push('', `${h}# Success measures`, '');
  out.push(
    plan.successMeasures.length > 0 ? plan.successMeasures.map((m) => `- ${inline(m)}`).join('\n') : '_None yet._',
  );
  out.push('', `${h}# Feedback survey`, '');
  out.push(
    plan.feedback.length > 0
      ? `After each session, the PL feedback survey asks: ${plan.feedback.map((m) => FEEDBACK_LABELS[m] ?? m).join('; ')}.`
      : '_No feedback measures chosen yet._',
  );
  // updatedBy is null on an anonymous board: the export names nobody there either.
  const by = plan.updatedBy ? ` by ${inline(plan.updatedBy)}` : '';
  out.push('', `_Last saved ${plan.updatedAt.slice(0, 16).replace('T', ' ')} UTC${by}._`);
  return out;
}

export function planMarkdown(state: BoardState, depth = 1): string {
  const out =
    depth === 1 ? [`# ${inline(state.title)}: PL plans`, '', `Campaign: ${inline(state.campaignTitle)}`, ''] : [];
  if (state.plans.length === 0) out.push('_No plans yet._');
  for (const plan of state.plans) out.push(...planSection(plan, depth), '');
  return `${out.join('\n').trimEnd()}\n`;
}

export interface Table {
  columns: string[];
  rows: Array<Record<string, string | number>>;
}

export function boardTable(state: BoardState): Table {
  const columnName = new Map(state.columns.map((column) => [column.id, column.name]));
  const clusterName = new Map(
    state.clusters.filter((cluster) => cluster.deletedAt === null).map((cluster) => [cluster.id, cluster.name]),
  );
  return {
    columns: [...BOARD_CSV_COLUMNS],
    rows: shared(state).map((card) => ({
      column: columnName.get(card.column) ?? card.column,
      position: card.position + 1,
      text: card.text,
      focuses: card.tags.map((id) => competencyName.get(id) ?? id).join('; '),
      cluster: card.clusterId ? (clusterName.get(card.clusterId) ?? '') : '',
      author: card.author ?? '',
      dots: card.votes ?? '',
      comments: card.comments.filter((comment) => comment.deletedAt === null).length,
    })),
  };
}

export function planTable(state: BoardState): Table {
  const rows = state.plans.flatMap((plan) => {
    const row = (section: string, item: string | number, text: string) => ({ focus: plan.name, section, item, text });
    return [
      ...plan.progression.flatMap((level, index) => [
        row('progression', `Level ${index + 1}: educators`, level.educators),
        row('progression', `Level ${index + 1}: staff`, level.staff),
        row('progression', `Level ${index + 1}: students`, level.students),
      ]),
      ...plan.strategies.map((id, index) => row('strategy', index + 1, strategyName.get(id) ?? id)),
      row(
        'pilot group',
        '',
        plan.pilotGroup
          ? `${plan.pilotGroup.members} members, ${plan.pilotGroup.schools} schools, coach: ${plan.pilotGroup.coach ?? 'none'}`
          : 'not confirmed yet',
      ),
      ...plan.timeline.map((step) => row('timeline', step.when, step.what)),
      ...plan.successMeasures.map((measure, index) => row('success measure', index + 1, measure)),
      ...plan.feedback.map((measure, index) => row('feedback', index + 1, FEEDBACK_LABELS[measure] ?? measure)),
    ];
  });
  return { columns: [...PLAN_CSV_COLUMNS], rows };
}
