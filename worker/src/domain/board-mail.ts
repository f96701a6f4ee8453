/**
 * The mail that invites a colleague to a board. Pure: the route builds the links (at the
 * configured public origin) and sends it.
 */
import { type BoardRole, INVITATION_HOURS } from './boards';

export interface BoardInvitationMail {
  /** Who invites: their name, or their email while they have none. */
  inviter: string;
  boardTitle: string;
  campaignTitle: string;
  role: BoardRole;
  /** The single-use join link (its token in the fragment). */
  link: string;
  signInPage: string;
  /** True when the invitation created the account, so the link itself signs the colleague in. */
  signsIn: boolean;
}

export function boardInvitationMail(mail: BoardInvitationMail): { subject: string; text: string } {
  const how = mail.signsIn
    ? [
        `Open the board: ${mail.link}`,
        '',
        `The link works once and for ${INVITATION_HOURS} hours. Afterwards, sign in at ${mail.signInPage} with this email address to come back: the board is under Boards.`,
      ]
    : [
        `Accept the invitation: ${mail.link}`,
        '',
        `If you are not signed in, the page asks you to sign in with this email address first (at ${mail.signInPage}), then opens the board. The link works once and for ${INVITATION_HOURS} hours; once signed in, you also find the board under Boards.`,
      ];
  return {
    subject: `You are invited to the board “${mail.boardTitle}”`,
    text: [
      `${mail.inviter} invited you to work on the board “${mail.boardTitle}” (${mail.campaignTitle}) in Homegrown, as ${mail.role}.`,
      '',
      ...how,
    ].join('\n'),
  };
}
