import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '../../worker/src/domain/audit-actions';
import { actionLabel } from '../src/lib/audit-labels';

describe('the audit log in plain words', () => {
  it('words every action the worker records, none as its stored name', () => {
    const raw = AUDIT_ACTIONS.filter(
      (action) => actionLabel(action) === action || !/^[A-Z][a-z]/.test(actionLabel(action)),
    );
    expect(raw).toEqual([]);
    expect(actionLabel('sign_in_link.issued')).toBe('Made a sign-in link');
  });

  it('shows an action it does not know as stored, rather than hiding it', () => {
    expect(actionLabel('something.new')).toBe('something.new');
    expect(actionLabel('toString')).toBe('toString');
  });
});
