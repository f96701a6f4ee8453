/** District-wide roles an account can hold; a person may hold several. */
export const ROLES = ['admin', 'director', 'facilitator'] as const;
export type Role = (typeof ROLES)[number];
