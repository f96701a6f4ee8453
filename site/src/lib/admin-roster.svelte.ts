import { REPORT_SIGNED_OUT, type RosterPreview, type RosterResult, type RowError } from './admin';
import { api, call, type Problem } from './api';
import { byText } from './format';

export type RosterPhase = 'idle' | 'checking' | 'invalid' | 'previewed' | 'importing' | 'imported';

/** The API's body limit for roster routes; the CSV travels inside a JSON string. */
export const MAX_ROSTER_BYTES = 4 * 1024 * 1024;

/**
 * A roster import in two steps: check (nothing is stored), then import exactly the text
 * that was checked. Any edit to the text after a check asks for a new check.
 */
export class RosterImport {
  #csv = $state('');
  #fileName = $state('');
  #phase = $state<RosterPhase>('idle');
  #preview = $state<RosterPreview | null>(null);
  #rowErrors = $state<RowError[]>([]);
  #problem = $state<Problem | null>(null);
  #result = $state<RosterResult | null>(null);
  /** Whether the import also retires the staff and schools the checked file leaves out (asked after the check). */
  #retireMissing = $state(false);
  #checked = '';
  #onChange: () => void;

  constructor(onChange: () => void = () => {}) {
    this.#onChange = onChange;
  }

  get csv() {
    return this.#csv;
  }
  /** The file the text came from, while it has not been edited since. */
  get fileName() {
    return this.#fileName;
  }
  get phase() {
    return this.#phase;
  }
  get preview() {
    return this.#preview;
  }
  get rowErrors() {
    return this.#rowErrors;
  }
  get problem() {
    return this.#problem;
  }
  get result() {
    return this.#result;
  }
  get retireMissing() {
    return this.#retireMissing;
  }
  set retireMissing(retire: boolean) {
    this.#retireMissing = retire;
  }
  get busy(): boolean {
    return this.#phase === 'checking' || this.#phase === 'importing';
  }

  /** Text typed or pasted: any earlier check no longer describes it. */
  edit(text: string): void {
    this.#csv = text;
    this.#fileName = '';
    this.#reset();
  }

  async readFile(file: File): Promise<void> {
    this.#reset();
    if (file.size > MAX_ROSTER_BYTES) {
      this.#problem = {
        status: 0,
        code: 'PAYLOAD_TOO_LARGE',
        message: `${file.name} is larger than 4 MB. Split it into smaller files and import each one.`,
      };
      return;
    }
    try {
      // A spreadsheet's UTF-8 export may start with a byte-order mark.
      this.#csv = (await file.text()).replace(/^\uFEFF/, '');
      this.#fileName = file.name;
    } catch {
      this.#problem = { status: 0, code: 'UNREADABLE', message: `${file.name} could not be read.` };
    }
  }

  async check(): Promise<void> {
    const csv = this.#csv;
    this.#reset();
    if (csv.trim() === '') {
      this.#problem = { status: 0, code: 'REQUIRED', message: 'Choose a CSV file or paste the roster first.' };
      return;
    }
    this.#phase = 'checking';
    const outcome = await call(() => api.roster.preview.$post({ json: { csv } }), REPORT_SIGNED_OUT);
    if (csv !== this.#csv) return;
    if (outcome.ok) {
      this.#preview = outcome.data;
      this.#checked = csv;
      this.#phase = 'previewed';
    } else {
      this.#refused(outcome.problem);
    }
  }

  async confirm(): Promise<void> {
    const csv = this.#checked;
    if (this.#phase !== 'previewed' || csv !== this.#csv) return;
    this.#phase = 'importing';
    this.#problem = null;
    const preview = this.#preview;
    const retireMissing =
      this.#retireMissing && !!preview && (preview.missing.count > 0 || preview.schools.missing.length > 0);
    const outcome = await call(() => api.roster.$post({ json: { csv, retireMissing } }), REPORT_SIGNED_OUT);
    if (outcome.ok) {
      this.#result = outcome.data;
      this.#phase = 'imported';
      this.#onChange();
    } else {
      this.#refused(outcome.problem);
    }
  }

  /** Drops a check without importing; the text stays to be edited. */
  discardCheck(): void {
    this.#reset();
  }

  /** Back to an empty form, for the next file. */
  startOver(): void {
    this.#csv = '';
    this.#fileName = '';
    this.#reset();
  }

  #refused(problem: Problem): void {
    this.#preview = null;
    this.#checked = '';
    if (problem.code === 'ROSTER_INVALID' && problem.rows && problem.rows.length > 0) {
      this.#rowErrors = [...problem.rows].sort((a, b) => a.row - b.row || byText(a.column, b.column));
      this.#problem = problem;
      this.#phase = 'invalid';
    } else {
      this.#problem = problem;
      this.#phase = 'idle';
    }
  }

  #reset(): void {
    this.#phase = 'idle';
    this.#preview = null;
    this.#rowErrors = [];
    this.#problem = null;
    this.#result = null;
    this.#retireMissing = false;
    this.#checked = '';
  }
}
