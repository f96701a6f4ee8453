import { describe, expect, it } from 'vitest';
import { exportFilename } from '../../src/domain/board-export';

describe('exportFilename', () => {
  it.each([
    ['Grade 5 team: formative assessment', 'board', 'markdown', 'grade-5-team-formative-assessment.md'],
    ['Grade 5 team: formative assessment', 'plan', 'csv', 'grade-5-team-formative-assessment-plan.csv'],
    // Runs of anything but a–z and 0–9 become one hyphen, none left at either end.
    ['  ¡Équipe “Maths” 2026!  ', 'board', 'csv', 'quipe-maths-2026.csv'],
    // A title with nothing to keep still names a file.
    ['“…”', 'plan', 'markdown', 'board-plan.md'],
  ] as const)('%j as %s %s is %s', (title, part, format, filename) => {
    expect(exportFilename(title, part, format)).toBe(filename);
  });
});
