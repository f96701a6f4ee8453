import { describe, expect, it } from 'vitest';
import { boardInvitationMail } from '../../src/domain/board-mail';
import { INVITATION_HOURS } from '../../src/domain/boards';

const invitation = {
  inviter: 'Fran Facilitator',
  boardTitle: 'Math design team',
  campaignTitle: 'Spring needs survey',
  role: 'member' as const,
  link: 'https://homegrown.example/join/#token=abc',
  signInPage: 'https://homegrown.example/sign-in/',
};

describe('boardInvitationMail', () => {
  it('names the inviter, the board, its campaign and the role, with the link', () => {
    const mail = boardInvitationMail({ ...invitation, signsIn: true });
    expect(mail.subject).toBe('You are invited to the board “Math design team”');
    expect(mail.text.split('\n')[0]).toBe(
      'Fran Facilitator invited you to work on the board “Math design team” (Spring needs survey) in Homegrown, as member.',
    );
    expect(mail.text).toContain(`Open the board: ${invitation.link}`);
    expect(mail.text).toContain(`works once and for ${INVITATION_HOURS} hours`);
  });

  it('asks someone who already has an account to sign in first, since the link does not sign them in', () => {
    const mail = boardInvitationMail({ ...invitation, signsIn: false });
    expect(mail.text).toContain(`Accept the invitation: ${invitation.link}`);
    expect(mail.text).toContain(`sign in with this email address first (at ${invitation.signInPage})`);
    expect(mail.text).not.toContain('Open the board:');
  });
});
