/**
 * Numbers, dates and alphabetical order as the pages show them (US English), written out
 * here instead of asked of the browser's `Intl`, `toLocaleString` or `localeCompare`: the
 * first of those on a page loads the browser's locale tables, a stall of 40–80 ms on a
 * laptop and four times that on a mid-range phone, before anything on the page can be
 * tapped (see "Pages" in bench/README.md). Dates are in the device's own time zone, as
 * `Intl.DateTimeFormat` would give them.
 */

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** A whole number with thousands separated: `1,021`, `-4,500`. Anything else is rounded first. */
export function wholeNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const digits = String(Math.abs(Math.round(n))).replace(/\B(?=(\d{3})+$)/g, ',');
  return n < 0 && Math.round(n) !== 0 ? `-${digits}` : digits;
}

/** A count with its noun: `1 person`, `1,021 people`. */
export const count = (n: number, one: string, many = `${one}s`): string => `${wholeNumber(n)} ${n === 1 ? one : many}`;

/** A day as the pages write it: `Oct 2, 2026`, or with `long` `October 2, 2026`. */
export function dayText(at: Date, style: 'medium' | 'long' = 'medium'): string {
  const month = MONTHS[at.getMonth()] ?? '';
  return `${style === 'long' ? month : month.slice(0, 3)} ${at.getDate()}, ${at.getFullYear()}`;
}

/** A moment as the pages write it: `Oct 2, 2026, 3:04 PM`. */
export function dayTimeText(at: Date): string {
  const hours = at.getHours();
  const minutes = String(at.getMinutes()).padStart(2, '0');
  return `${dayText(at)}, ${hours % 12 || 12}:${minutes} ${hours < 12 ? 'AM' : 'PM'}`;
}

/** Text folded for ordering: accents and case set aside, so `Émile` sorts with `Emma`, not after `Zoe`. */
const folded = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

/** Alphabetical order for names (a sort comparator); names equal once folded keep a fixed order. */
export function byText(a: string, b: string): number {
  const x = folded(a);
  const y = folded(b);
  if (x !== y) return x < y ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
