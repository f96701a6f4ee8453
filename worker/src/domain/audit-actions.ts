/**
 * Everything the audit log records, by the name stored in `action`. The admin page words
 * each one (site/src/lib/audit-labels.ts); a name missing there is a type error.
 */
export const AUDIT_ACTIONS = [
  'sign_in',
  'sign_out',
  'sign_in_link.issued',
  'account.create',
  'account.roles',
  'account.disable',
  'account.enable',
  'roster.import',
  'roster.view',
  'campaign.create',
  'campaign.close',
  'invitations.export',
  'focuses.export',
  'evidence.import',
  'comments.export',
  'comments.tag',
  'comments.untag',
  'leaders.view',
  'pilot_groups.propose',
  'pilot_groups.confirm',
  'pilot_groups.view',
  'pilot_groups.export',
  'board.create',
  'board.export',
  'board.invite',
  'board.member.role',
  'board.member.remove',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
