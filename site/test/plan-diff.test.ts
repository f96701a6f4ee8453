import { describe, expect, it } from 'vitest';
import type { PlanView } from '../src/lib/board-view';
import {
  afterSave,
  differences,
  emptyFields,
  fieldsOf,
  freshDraft,
  latestOf,
  newerSaved,
  type PlanDraft,
  type PlanFields,
  plansToTake,
} from '../src/lib/plan-diff';

/** A plan as the board's state carries it: version 1 unless said otherwise, nothing written yet. */
function plan(change: Partial<PlanView> = {}): PlanView {
  return {
    competencyId: 'formative-assessment',
    name: 'Formative assessment',
    ...emptyFields(),
    pilotGroup: null,
    version: 1,
    updatedAt: '2026-10-02T15:04:00.000Z',
    updatedBy: 'Ana Ruiz',
    ...change,
  };
}

/** The editable parts of `plan()` with a change made, as a person's copy would hold them. */
function fields(change: (fields: PlanFields) => void): PlanFields {
  const out = fieldsOf(plan());
  change(out);
  return out;
}

/** A copy someone is editing (`dirty`) or only reading, started from `base`. */
const draft = (base: PlanView, dirty: boolean, edit: (fields: PlanFields) => void = () => {}): PlanDraft => {
  const copy = freshDraft(base);
  edit(copy.fields);
  return { ...copy, dirty };
};

describe('a copy of a plan', () => {
  it('holds all five progression levels, even when the saved plan has fewer', () => {
    const short = plan({ progression: [{ educators: 'Ask', staff: '', students: '' }] });
    const copy = fieldsOf(short);
    expect(copy.progression).toHaveLength(5);
    expect(copy.progression[0]).toEqual({ educators: 'Ask', staff: '', students: '' });
    expect(copy.progression[4]).toEqual({ educators: '', staff: '', students: '' });
  });

  it('is the person’s own: editing it leaves the plan the board shows as it was', () => {
    const shown = plan({ strategies: ['coaching'], timeline: [{ when: 'October', what: 'Kick-off' }] });
    const copy = fieldsOf(shown);
    copy.strategies.push('workshop');
    const [row] = copy.timeline;
    if (row) row.what = 'Changed';
    expect(shown.strategies).toEqual(['coaching']);
    expect(shown.timeline).toEqual([{ when: 'October', what: 'Kick-off' }]);
  });
});

describe('what a poll brings into the copies', () => {
  it('starts a copy of a plan nobody has opened here yet', () => {
    const started = plan({ competencyId: 'feedback', version: 1 });
    expect(plansToTake({}, [started])).toEqual([started]);
  });

  it('takes a newer version into a copy with no edits', () => {
    const newer = plan({ version: 2 });
    expect(plansToTake({ 'formative-assessment': draft(plan(), false) }, [newer])).toEqual([newer]);
  });

  it('leaves a copy alone when the version is the one it holds', () => {
    expect(plansToTake({ 'formative-assessment': draft(plan(), false) }, [plan()])).toEqual([]);
  });

  it('never overwrites a copy holding edits, whatever changed on the server', () => {
    const mine = draft(plan(), true, (copy) => {
      copy.strategies.push('coaching');
    });
    const theirs = plan({ version: 2, successMeasures: ['Half the staff try it'] });
    expect(plansToTake({ 'formative-assessment': mine }, [theirs])).toEqual([]);
    // …and the person is told that a newer version exists.
    expect(newerSaved(mine, theirs)).toBe(true);
  });

  it('says nothing of a newer version to someone who has not edited (their copy just follows)', () => {
    expect(newerSaved(draft(plan(), false), plan({ version: 2 }))).toBe(false);
    expect(newerSaved(draft(plan({ version: 2 }), true), plan({ version: 2 }))).toBe(false);
  });
});

describe('a copy after its save', () => {
  const saved = plan({ version: 2, strategies: ['coaching'] });

  it('starts afresh from the saved version when nothing was typed while saving', () => {
    const sent = fields((copy) => {
      copy.strategies.push('coaching');
    });
    const now = draft(plan(), true, (copy) => {
      copy.strategies.push('coaching');
    });
    expect(afterSave(now, sent, saved)).toEqual({ base: saved, fields: fieldsOf(saved), dirty: false });
  });

  it('keeps what was typed while the save was on its way, now based on the saved version', () => {
    const sent = fields((copy) => {
      copy.strategies.push('coaching');
    });
    const now = draft(plan(), true, (copy) => {
      copy.strategies.push('coaching');
      copy.successMeasures.push('Typed during the save');
    });
    const next = afterSave(now, sent, saved);
    expect(next.fields.successMeasures).toEqual(['Typed during the save']);
    expect(next.fields.strategies).toEqual(['coaching']);
    expect(next.base.version).toBe(2);
    expect(next.dirty).toBe(true);
  });
});

describe('what “Load theirs” loads', () => {
  it('the version that refused the save, when the board does not show it yet', () => {
    const conflict = plan({ version: 3 });
    expect(latestOf(plan({ version: 2 }), conflict)).toBe(conflict);
    expect(latestOf(undefined, conflict)).toBe(conflict);
  });

  it('the board’s version once a poll brought one at least as new', () => {
    const shown = plan({ version: 4 });
    expect(latestOf(shown, plan({ version: 3 }))).toBe(shown);
    expect(latestOf(shown, plan({ version: 4 }))).toBe(shown);
    expect(latestOf(shown, undefined)).toBe(shown);
  });
});

describe('the differences shown when someone else saved first', () => {
  it('are none when both versions say the same', () => {
    expect(differences(fieldsOf(plan()), fieldsOf(plan()))).toEqual([]);
  });

  it('name the one cell both changed, with their words and mine', () => {
    const theirs = fields((copy) => {
      const level = copy.progression[1];
      if (level) level.staff = 'Plan lessons together';
    });
    const mine = fields((copy) => {
      const level = copy.progression[1];
      if (level) level.staff = 'Observe a colleague';
    });
    expect(differences(theirs, mine)).toEqual([
      {
        section: 'Learning progression',
        details: ['Level 2, staff: theirs “Plan lessons together”, yours “Observe a colleague”'],
      },
    ]);
  });

  it('list my change and theirs when we changed different sections, and nothing else', () => {
    // I ticked a strategy; they added a success measure. Both show, so neither is lost unseen.
    const theirs = fields((copy) => {
      copy.successMeasures.push('Half the staff try it');
    });
    const mine = fields((copy) => {
      copy.strategies.push('peer-observation');
    });
    expect(differences(theirs, mine)).toEqual([
      { section: 'Strategies', details: ['Theirs: (none)', 'Yours: Peer observation'] },
      { section: 'Success measures', details: ['Theirs: Half the staff try it', 'Yours: (none)'] },
    ]);
  });

  it('show an empty cell as empty, and cut a long one short', () => {
    const long = 'x'.repeat(200);
    const theirs = fields((copy) => {
      const level = copy.progression[0];
      if (level) level.students = long;
    });
    expect(differences(theirs, fieldsOf(plan()))).toEqual([
      {
        section: 'Learning progression',
        details: [`Level 1, students: theirs “${'x'.repeat(160)}…”, yours (empty)`],
      },
    ]);
  });

  it('ignore the order of ticked strategies and feedback measures', () => {
    const theirs = fields((copy) => {
      copy.strategies.push('coaching', 'workshop');
      copy.feedback.push('relevance', 'quality');
    });
    const mine = fields((copy) => {
      copy.strategies.push('workshop', 'coaching');
      copy.feedback.push('quality', 'relevance');
    });
    expect(differences(theirs, mine)).toEqual([]);
  });

  it('count the order of timeline rows, which is the plan’s order of events', () => {
    const kickOff = { when: 'October', what: 'Kick-off' };
    const review = { when: 'January', what: 'Review' };
    const theirs = fields((copy) => {
      copy.timeline.push(kickOff, review);
    });
    const mine = fields((copy) => {
      copy.timeline.push(review, kickOff);
    });
    expect(differences(theirs, mine)).toEqual([
      {
        section: 'Timeline',
        details: ['Theirs: October: Kick-off; January: Review', 'Yours: January: Review; October: Kick-off'],
      },
    ]);
  });

  it('name feedback measures in a teacher’s words', () => {
    const mine = fields((copy) => {
      copy.feedback.push('recommend');
    });
    expect(differences(fieldsOf(plan()), mine)).toEqual([
      { section: 'Feedback survey', details: ['Theirs: (none)', 'Yours: Likelihood to recommend it to a colleague'] },
    ]);
  });
});
