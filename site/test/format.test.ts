import { describe, expect, it } from 'vitest';
import { byText, count, dayText, dayTimeText, wholeNumber } from '../src/lib/format';

describe('figures and dates as the pages write them', () => {
  it('separates thousands in whole numbers', () => {
    expect([0, 7, 999, 1000, 1021, 12345, 1234567, -4500].map(wholeNumber)).toEqual([
      '0',
      '7',
      '999',
      '1,000',
      '1,021',
      '12,345',
      '1,234,567',
      '-4,500',
    ]);
    expect(wholeNumber(768.6)).toBe('769');
    expect(wholeNumber(-0.2)).toBe('0');
  });

  it('says a count with its noun', () => {
    expect(count(1, 'person', 'people')).toBe('1 person');
    expect(count(1021, 'person', 'people')).toBe('1,021 people');
    expect(count(0, 'problem')).toBe('0 problems');
  });

  it('writes days and moments in the device time zone, as US English does', () => {
    // Built from local parts, so the result is the same in any time zone.
    expect(dayText(new Date(2026, 9, 2, 15, 4))).toBe('Oct 2, 2026');
    expect(dayText(new Date(2026, 8, 30), 'long')).toBe('September 30, 2026');
    expect(dayTimeText(new Date(2026, 9, 2, 15, 4))).toBe('Oct 2, 2026, 3:04 PM');
    expect(dayTimeText(new Date(2026, 11, 3, 0, 5))).toBe('Dec 3, 2026, 12:05 AM');
    expect(dayTimeText(new Date(2026, 11, 3, 12, 0))).toBe('Dec 3, 2026, 12:00 PM');
  });

  it('orders names alphabetically with accents and case set aside', () => {
    const names = ['Zoe Hart', 'émile Roy', 'Emma Stone', 'adam Li', 'Álvaro Núñez', 'Bea Cruz'];
    expect([...names].sort(byText)).toEqual([
      'adam Li',
      'Álvaro Núñez',
      'Bea Cruz',
      'émile Roy',
      'Emma Stone',
      'Zoe Hart',
    ]);
    expect(byText('Ana', 'Ana')).toBe(0);
    // Equal once folded, still in one fixed order.
    expect(Math.sign(byText('ana', 'Ana'))).toBe(-Math.sign(byText('Ana', 'ana')));
  });
});
