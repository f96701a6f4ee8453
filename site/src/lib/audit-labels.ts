import type { AuditAction } from '../../../worker/src/domain/audit-actions';

/** Each audit action in plain words, as the log's "What" column says it. */
export const ACTION_LABELS: Record<AuditAction, string> = {
  sign_in: 'Signed in',
  sign_out: 'Signed out',
  'sign_in_link.issued': 'Made a sign-in link',
  'account.create': 'Created an account',
  'account.roles': 'Changed roles',
  'account.disable': 'Disabled an account',
  'account.enable': 'Re-enabled an account',
  'roster.import': 'Imported the roster',
  'roster.view': 'Viewed the roster',
  'campaign.create': 'Created a campaign',
  'campaign.close': 'Closed a campaign',
  'invitations.export': 'Exported personal links',
  'focuses.export': 'Exported focus results',
  'evidence.import': 'Imported evidence scores',
  'comments.export': 'Exported comments',
  'comments.tag': 'Tagged a comment to a focus',
  'comments.untag': 'Removed a focus tag from a comment',
  'leaders.view': 'Viewed leaders',
  'pilot_groups.propose': 'Proposed pilot groups',
  'pilot_groups.confirm': 'Confirmed pilot groups',
  'pilot_groups.view': 'Viewed confirmed pilot groups',
  'pilot_groups.export': 'Exported confirmed pilot groups',
  'board.create': 'Created a board',
  'board.export': 'Exported a board',
  'board.invite': 'Invited someone to a board',
  'board.member.role': "Changed a board member's role",
  'board.member.remove': 'Removed a board member',
};

/** An action the log holds, in words; one this page does not know yet, as the log stored it. */
export const actionLabel = (action: string): string =>
  Object.hasOwn(ACTION_LABELS, action) ? ACTION_LABELS[action as AuditAction] : action;
