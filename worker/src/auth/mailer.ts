/**
 * Outgoing mail behind one small interface. A deployed Worker sends through an HTTP email
 * API (configured by the EMAIL_API_KEY secret and the EMAIL_FROM var; EMAIL_API_URL names
 * the endpoint, Resend's by default, and any API taking the same JSON works). `wrangler dev`
 * (started with DEV_OUTBOX=on) sends nothing: each message is printed in the terminal and
 * kept in the local outbox page instead.
 */
import { insertOutboxMail } from '../db/outbox';
import { ApiError } from '../errors';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export interface MailConfig {
  EMAIL_API_KEY?: string;
  EMAIL_FROM?: string;
  EMAIL_API_URL?: string;
  DEV_OUTBOX?: string;
}

const DEFAULT_EMAIL_API_URL = 'https://api.resend.com/emails';

export function httpMailer(config: { apiKey: string; from: string; url?: string }, send: typeof fetch = fetch): Mailer {
  return {
    async send(message) {
      const res = await send(config.url ?? DEFAULT_EMAIL_API_URL, {
        method: 'POST',
        headers: { Authorization: `Bearer ${config.apiKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ from: config.from, to: [message.to], subject: message.subject, text: message.text }),
      });
      if (!res.ok) {
        console.error(`email API answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
        throw new ApiError(502, 'EMAIL_NOT_SENT', 'The email could not be sent just now. Please try again shortly.');
      }
    },
  };
}

/** Development only: the terminal and the local outbox table stand in for delivery. */
export function devOutbox(db: D1Database): Mailer {
  return {
    async send(message) {
      console.log(`\n── mail to ${message.to} · ${message.subject}\n${message.text}\n`);
      await insertOutboxMail(db, {
        at: new Date().toISOString(),
        recipient: message.to,
        subject: message.subject,
        body: message.text,
      });
    },
  };
}

export function isDevOutboxOn(env: MailConfig): boolean {
  return env.DEV_OUTBOX === 'on';
}

/** The mailer this deployment is configured for; a clear 503 when there is none. */
export function mailerFor(env: Env & MailConfig): Mailer {
  if (env.EMAIL_API_KEY && env.EMAIL_FROM) {
    return httpMailer({ apiKey: env.EMAIL_API_KEY, from: env.EMAIL_FROM, url: env.EMAIL_API_URL });
  }
  if (isDevOutboxOn(env)) return devOutbox(env.DB);
  throw new ApiError(
    503,
    'EMAIL_NOT_CONFIGURED',
    'This installation cannot send email yet; ask your district admin to configure it.',
  );
}
