/** PL plans: one per prioritized focus, saved whole against its version. */
import type { PlanContent } from '../domain/board-view';
import { changeIf } from './board-changes';

/**
 * Saves a focus's plan: `expected` 0 starts it (refused if someone started it first),
 * otherwise it must be the plan's current version. False when refused.
 */
export async function savePlan(
  db: D1Database,
  plan: { boardId: string; competencyId: string; expected: number; content: PlanContent; by: string; at: string },
): Promise<boolean> {
  const content = JSON.stringify(plan.content);
  const fresh = 'NOT EXISTS (SELECT 1 FROM board_plans WHERE board_id = ?1 AND competency_id = ?3)';
  const same = 'EXISTS (SELECT 1 FROM board_plans WHERE board_id = ?1 AND competency_id = ?3 AND version = ?4)';
  if (plan.expected === 0) {
    return changeIf(
      db,
      plan.boardId,
      plan.at,
      fresh,
      [plan.competencyId],
      [
        db
          .prepare(
            `INSERT INTO board_plans (board_id, competency_id, plan, updated_at, updated_by)
           SELECT ?1, ?3, ?4, ?2, ?5 WHERE ${fresh}`,
          )
          .bind(plan.boardId, plan.at, plan.competencyId, content, plan.by),
      ],
    );
  }
  return changeIf(
    db,
    plan.boardId,
    plan.at,
    same,
    [plan.competencyId, plan.expected],
    [
      db
        .prepare(
          `UPDATE board_plans SET plan = ?5, version = version + 1, updated_at = ?2, updated_by = ?6
         WHERE board_id = ?1 AND competency_id = ?3 AND version = ?4`,
        )
        .bind(plan.boardId, plan.at, plan.competencyId, plan.expected, content, plan.by),
    ],
  );
}
