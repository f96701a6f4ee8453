/**
 * The contract between the pages and the worker, checked by the compiler: answers read
 * through the typed client exactly as the pages read them, and beside each a field the worker
 * does not send, marked `@ts-expect-error`. `astro check` type-checks this file; should the
 * client ever stop catching one of those reads (an answer typed as `any` or `{}`, a cast
 * somewhere on the way), the expected error is gone and the check fails. Nothing imports it
 * and it never runs.
 */
import type { InferResponseType } from 'hono/client';
import { api, call, type Problem } from './api';
import type { FocusAnswer } from './focuses';

export async function campaignAnswers(id: string): Promise<void> {
  const one = await call(() => api.campaigns[':id'].$get({ param: { id } }));
  if (one.ok) {
    const { responseCount, minGroupSize, status, surveyUrl } = one.data;
    void [responseCount, minGroupSize, status, surveyUrl];
    // @ts-expect-error The worker sends responseCount.
    void one.data.responseCont;
    // @ts-expect-error A campaign is open or closed, never anything else.
    void (one.data.status === 'draft');
  }
  const list = await call(() => api.campaigns.$get({ query: {} }));
  if (list.ok) {
    void list.data.items[0]?.title;
    // @ts-expect-error Only a campaign read on its own carries its survey link.
    void list.data.items[0]?.surveyUrl;
  }
  const invitations = await call(() => api.campaigns[':id'].invitations.$post({ param: { id }, json: {} }));
  if (invitations.ok) {
    void invitations.data.items[0]?.link;
    // @ts-expect-error A personal link's token is only inside its link.
    void invitations.data.items[0]?.token;
  }
}

export async function adminAnswers(): Promise<void> {
  const accounts = await call(() => api.accounts.$get());
  if (accounts.ok) {
    void accounts.data.items[0]?.roles;
    // @ts-expect-error An account has roles, a list.
    void accounts.data.items[0]?.role;
  }
  const imported = await call(() => api.roster.$post({ json: { csv: '' } }));
  if (imported.ok) {
    void imported.data.schools.created;
    // @ts-expect-error Importing creates schools; it never counts updated ones.
    void imported.data.schools.updated;
  }
  const audit = await call(() => api.audit.$get({ query: {} }));
  if (audit.ok) {
    void audit.data.nextCursor;
    // @ts-expect-error The audit log pages by cursor, not by page number.
    void audit.data.page;
  }
}

export async function focusAnswers(id: string): Promise<void> {
  const rates = await call(() => api.campaigns[':id']['response-rates'].$get({ param: { id } }));
  if (rates.ok) {
    const row = rates.data.items[0];
    // A school whose count is hidden carries no rate: the page must look before it reads one.
    if (row && !('suppressed' in row)) void row.rate;
    // @ts-expect-error Response rates count people, never their answers.
    void rates.data.items[0]?.answers;
  }
}

export async function focusListAnswer(id: string): Promise<void> {
  const list = await call<FocusAnswer>(() => api.campaigns[':id'].focuses.$get({ param: { id }, query: {} }));
  if (list.ok && !('by' in list.data)) {
    void list.data.weightsDescription;
    // @ts-expect-error The list counts its respondents.
    void list.data.respondent;
  }
  // @ts-expect-error An answer type the route does not give is refused, not taken on trust.
  await call<{ items: number }>(() => api.campaigns[':id'].focuses.$get({ param: { id }, query: {} }));
}

type Strategies = InferResponseType<(typeof api.campaigns)[':id']['strategy-preferences']['$get'], 200>;

export function strategyItem(item: Strategies['items'][number]): void {
  if (!('suppressed' in item)) void item.strategies;
  // @ts-expect-error A focus hidden below k carries no strategies.
  void item.strategies;
}

export async function respondentAnswers(id: string): Promise<void> {
  const survey = await call(() => api.campaigns[':id'].survey.$get({ param: { id } }));
  if (survey.ok) {
    void survey.data.invitation?.name;
    // @ts-expect-error The survey page never learns a respondent's email address.
    void survey.data.invitation?.email;
  }
  const me = await call(() => api.auth.me.$get(), { signedOut: 'report' });
  if (me.ok) {
    void me.data.email;
    // @ts-expect-error Who is signed in is an account, with no session token in it.
    void me.data.token;
  }
}

export function requests(): void {
  void api.campaigns.$post({
    // @ts-expect-error A campaign is anonymous or identified.
    json: { surveyId: 'needs-assessment', title: 'Spring', mode: 'secret', minGroupSize: 5 },
  });
}

export function problemCodes(problem: Problem): void {
  void (problem.code === 'SIGNED_OUT');
  // @ts-expect-error The code of an ended session is SIGNED_OUT.
  void (problem.code === 'SIGNED_0UT');
}
