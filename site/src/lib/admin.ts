/**
 * The district admin's page: the shapes the admin API answers with, and pure helpers that
 * turn them into words, files and requests. The state classes live in admin-*.svelte.ts.
 */
import type { InferResponseType } from 'hono/client';
import Papa from 'papaparse';
import { ROLES, type Role } from '../../../worker/src/auth/roles';
import { ROSTER_COLUMNS, type RosterColumn } from '../../../worker/src/domain/roster-import';
import type { RowError } from '../../../worker/src/errors';
import type { api, CallOptions } from './api';
import { dayText, dayTimeText } from './format';

export { ROLES, ROSTER_COLUMNS, type Role, type RosterColumn, type RowError };

/** The admin API's answers, as the typed client reads them off the worker's routes. */
export type Account = InferResponseType<typeof api.accounts.$get, 200>['items'][number];
export type AuditItem = InferResponseType<typeof api.audit.$get, 200>['items'][number];
export type RosterPreview = InferResponseType<typeof api.roster.preview.$post, 200>;
export type RosterResult = InferResponseType<typeof api.roster.$post, 200>;
export type Invitations = InferResponseType<(typeof api.campaigns)[':id']['invitations']['$post'], 200>;
export type Invitation = Invitations['items'][number];

/**
 * An ended session is reported beside the control rather than leaving the page at once, so
 * that what the admin was in the middle of (a pasted roster, a half-filled form) is not lost
 * before they choose to sign in again.
 */
export const REPORT_SIGNED_OUT: CallOptions = { signedOut: 'report' };

export const ROLE_LABELS: Record<Role, { label: string; hint: string }> = {
  admin: { label: 'Admin', hint: 'manages accounts, the roster, campaigns and the audit log' },
  director: { label: 'Director', hint: 'sees the dashboard of every campaign' },
  facilitator: { label: 'Facilitator', hint: 'runs design teams and pilots' },
};

export function rolesText(roles: readonly Role[]): string {
  return roles.length === 0 ? 'No roles' : roles.map((role) => ROLE_LABELS[role].label).join(', ');
}

/** What each column of the roster file holds. */
export const ROSTER_COLUMN_HELP: Record<RosterColumn, { required: boolean; text: string }> = {
  staffId: {
    required: true,
    text: "The district's id for the person: letters, digits, dots, dashes or underscores. Importing again updates the person with this id.",
  },
  name: { required: true, text: 'Full name, as colleagues know them.' },
  email: { required: false, text: 'Work email address, for the personal survey links of identified campaigns.' },
  school: {
    required: false,
    text: 'The school’s name. A name Homegrown does not know yet creates a new school; leave it blank for district-wide staff.',
  },
  role: { required: true, text: 'Job role, as an id or a name from the list.' },
  careerStage: { required: false, text: 'Career stage, as an id or a name from the list.' },
  subject: { required: false, text: 'Main subject, as an id or a name from the list.' },
  gradeBand: { required: false, text: 'Grade band, as an id or a name from the list.' },
  isCoach: { required: false, text: 'yes or no (also true/false, y/n, 1/0); blank means no.' },
  coachFocuses: {
    required: false,
    text: 'For coaches only: the competencies they coach, as ids separated by semicolons (;).',
  },
};

export const ROSTER_TEMPLATE = `${[
  ROSTER_COLUMNS.join(','),
  'T1001,Jordan Rivera,jordan.rivera@district.example,Alder Creek Elementary,classroom-teacher,early-career,multiple-subjects,elementary,no,',
  'T1002,Sam Okafor,sam.okafor@district.example,Harbor View Middle School,instructional-coach,teacher-leader,math,middle,yes,formative-assessment;data-driven-instruction',
].join('\r\n')}\r\n`;

export const ROSTER_TEMPLATE_HREF = `data:text/csv;charset=utf-8,${encodeURIComponent(ROSTER_TEMPLATE)}`;

/** What a person or a spreadsheet may put in one column: the ids of a framework list. */
export interface Choice {
  id: string;
  name: string;
}
export type RosterChoices = Partial<Record<RosterColumn, Choice[]>>;

export const INVITATION_COLUMNS = ['staffId', 'name', 'email', 'school', 'status', 'link'] as const;

/** The file's status column, in words: Homegrown makes the links, the district sends them. */
export const INVITATION_STATUS: Record<Invitation['status'], string> = {
  'new-link': 'new link, not sent yet',
  answered: 'already answered, no link',
};

/**
 * The mail-merge file. Cells that a spreadsheet would run as a formula (a name typed as
 * `=HYPERLINK(…)`) are escaped, since the roster comes from outside.
 */
export function invitationsCsv(items: Invitation[]): string {
  return Papa.unparse(
    {
      fields: [...INVITATION_COLUMNS],
      data: items.map((item) =>
        INVITATION_COLUMNS.map((column) =>
          column === 'status' ? INVITATION_STATUS[item.status] : (item[column] ?? ''),
        ),
      ),
    },
    { escapeFormulae: true, newline: '\r\n' },
  );
}

/** Hands a text file to the browser's downloads. */
export function downloadText(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started by the time the click returns; the URL is not needed after it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** `spring-2027-needs-survey`, for file names. */
export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'campaign'
  );
}

/** The public survey link of a campaign, as the API builds it. */
export function surveyLink(origin: string, campaignId: string): string {
  return new URL(`/survey/?c=${encodeURIComponent(campaignId)}`, origin).href;
}

/** A closing date picked as a calendar day means the end of that day where the admin is. */
export function closingInstant(day: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const at = new Date(`${day}T23:59:59`);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/** Today as a date input's value, in the admin's own time zone. */
export function today(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** `staffCreated` → `staff created`, `min_group_size` → `min group size`. */
function words(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_.-]+/g, ' ')
    .toLowerCase();
}

const isRoleList = (value: unknown[]): value is Role[] =>
  value.length > 0 && value.every((item) => typeof item === 'string' && item in ROLE_LABELS);

function valueText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) {
    if (isRoleList(value)) return rolesText(value);
    return value.length === 0 ? 'none' : value.map(valueText).join(', ');
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([key, inner]) => `${words(key)} ${valueText(inner)}`)
      .join(', ');
  }
  return String(value);
}

/** An audit entry's detail as lines a person reads: `roles: Admin, Director`. */
export function detailLines(detail: Record<string, unknown> | null | undefined): string[] {
  return Object.entries(detail ?? {}).map(([key, value]) => `${words(key)}: ${valueText(value)}`);
}

export const dateTime = (iso: string): string => {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : dayTimeText(at);
};

export const dateOnly = (iso: string): string => {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : dayText(at);
};
/** A validator's field message as a sentence: `is required` → `The title is required.` */
export function fieldMessage(subject: string, message: string): string {
  const text = message.trim();
  const sentence = /^[a-z]/.test(text) ? `${subject} ${text}` : text;
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}
