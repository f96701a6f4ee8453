import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkPilotPlan,
  type FitLevel,
  fitFor,
  fitLevel,
  levelRank,
  levelText,
  type PilotCandidate,
  type PilotOptions,
  type PilotPlan,
  planPilotGroups,
} from '../../src/domain/pilot-groups';

const person = (staffId: string, fits: Record<string, number>, school: string | null = null): PilotCandidate => ({
  staffId,
  school,
  fits,
});

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The docblock's tie score: Σ over members of k · (n − r) − f. */
function tieScore(plan: PilotPlan, candidates: PilotCandidate[], options: PilotOptions): number {
  const ranks = new Map(
    candidates
      .map((candidate) => candidate.staffId)
      .sort(byId)
      .map((id, rank) => [id, rank]),
  );
  const n = candidates.length;
  const k = options.focuses.length;
  let score = 0;
  for (const group of plan.groups) {
    const f = options.focuses.indexOf(group.competencyId);
    for (const member of group.members) score += k * (n - (ranks.get(member.staffId) ?? 0)) - f;
  }
  return score;
}

/** Tries every assignment of every candidate to a focus or to none; the best (fit, tie score). */
function exhaustive(candidates: PilotCandidate[], options: PilotOptions): { fit: number; tie: number } {
  const { focuses, minSize, maxSize, maxPerSchool } = options;
  const n = candidates.length;
  const k = focuses.length;
  const ranks = new Map(
    candidates
      .map((candidate) => candidate.staffId)
      .sort(byId)
      .map((id, rank) => [id, rank]),
  );
  const choice: number[] = new Array(n).fill(-1);
  let best = { fit: 0, tie: 0 };
  const visit = (i: number): void => {
    if (i === n) {
      let fit = 0;
      let tie = 0;
      for (let f = 0; f < k; f++) {
        const members = candidates.filter((_candidate, j) => choice[j] === f);
        if (members.length > 0 && (members.length < minSize || members.length > maxSize)) return;
        const perSchool = new Map<string | null, number>();
        for (const member of members) {
          const focus = focuses[f] ?? '';
          if (!Object.hasOwn(member.fits, focus)) return;
          perSchool.set(member.school, (perSchool.get(member.school) ?? 0) + 1);
          fit += member.fits[focus] ?? 0;
          tie += k * (n - (ranks.get(member.staffId) ?? 0)) - f;
        }
        if ([...perSchool.values()].some((count) => count > maxPerSchool)) return;
      }
      if (fit > best.fit || (fit === best.fit && tie > best.tie)) best = { fit, tie };
      return;
    }
    for (let f = -1; f < k; f++) {
      choice[i] = f;
      visit(i + 1);
    }
    choice[i] = -1;
  };
  visit(0);
  return best;
}

type Groups = Record<string, string[]>;

/** Groups as focus → staff ids, in plan order. */
const groupsOf = (plan: PilotPlan): Groups =>
  Object.fromEntries(plan.groups.map((group) => [group.competencyId, group.members.map((member) => member.staffId)]));

describe('fitLevel: what a director sees of a fit', () => {
  // gap = max(0, I − P): 0 → none, 1–2 → some, 3–4 → large; interest is told apart.
  const cases: Array<[string, { importance?: number; proficiency?: number } | undefined, boolean, string, number]> = [
    ['I 5, P 2, asked: gap 3', { importance: 5, proficiency: 2 }, true, 'large gap, asked to learn it', 4],
    [
      'I 5, P 1, asked: gap 4, the same words',
      { importance: 5, proficiency: 1 },
      true,
      'large gap, asked to learn it',
      5,
    ],
    ['I 4, P 1, not asked: gap 3', { importance: 4, proficiency: 1 }, false, 'large gap, did not ask to learn it', 3],
    ['I 4, P 2, not asked: gap 2', { importance: 4, proficiency: 2 }, false, 'some gap, did not ask to learn it', 2],
    [
      'I 4, P 3, not asked: gap 1, the same words',
      { importance: 4, proficiency: 3 },
      false,
      'some gap, did not ask to learn it',
      1,
    ],
    ['I 3, P 2, asked: gap 1', { importance: 3, proficiency: 2 }, true, 'some gap, asked to learn it', 2],
    ['I 3, P 3, asked: no gap', { importance: 3, proficiency: 3 }, true, 'no gap, asked to learn it', 1],
    ['I 2, P 5, not asked: no gap', { importance: 2, proficiency: 5 }, false, 'no gap, did not ask to learn it', 0],
    ['not rated, not asked', undefined, false, 'no gap, did not ask to learn it', 0],
  ];
  it.each(cases)('%s', (_name, ratings, interested, words, fit) => {
    const level = fitLevel(ratings, interested);
    expect(levelText(level)).toBe(words);
    expect(level.interested).toBe(interested);
    expect(fitFor(ratings, interested)).toBe(fit);
  });

  it('never pins the exact gap, except that none is 0', () => {
    const gapsPerLevel = new Map<string, Set<number>>();
    for (let importance = 1; importance <= 5; importance++) {
      for (let proficiency = 1; proficiency <= 5; proficiency++) {
        const { gap } = fitLevel({ importance, proficiency }, false);
        const gaps = gapsPerLevel.get(gap) ?? new Set<number>();
        gaps.add(Math.max(0, importance - proficiency));
        gapsPerLevel.set(gap, gaps);
      }
    }
    expect(Object.fromEntries([...gapsPerLevel].map(([gap, gaps]) => [gap, [...gaps].sort()]))).toEqual({
      none: [0],
      some: [1, 2],
      large: [3, 4],
    });
  });

  it('ranks levels so that a higher rank never stands for a lower fit', () => {
    const all: Array<{ level: FitLevel; fit: number }> = [];
    for (let importance = 1; importance <= 5; importance++) {
      for (let proficiency = 1; proficiency <= 5; proficiency++) {
        for (const interested of [false, true]) {
          const ratings = { importance, proficiency };
          all.push({ level: fitLevel(ratings, interested), fit: fitFor(ratings, interested) });
        }
      }
    }
    for (const a of all) {
      for (const b of all) if (levelRank(a.level) > levelRank(b.level)) expect(a.fit).toBeGreaterThanOrEqual(b.fit);
    }
    expect(levelRank({ gap: 'none', interested: false })).toBe(0);
    expect(levelRank({ gap: 'large', interested: true })).toBe(5);
  });
});

describe('fitFor', () => {
  const cases: Array<[string, { importance?: number; proficiency?: number } | undefined, boolean, number]> = [
    ['no ratings, no interest', undefined, false, 0],
    ['no ratings, interested', undefined, true, 1],
    ['proficiency missing counts as no gap', { importance: 5 }, false, 0],
    ['importance missing counts as no gap, interest still adds 1', { proficiency: 1 }, true, 1],
    ['gap 5 − 2 = 3', { importance: 5, proficiency: 2 }, false, 3],
    ['gap 5 − 1 = 4 plus interest', { importance: 5, proficiency: 1 }, true, 5],
    ['proficiency above importance gives 0', { importance: 2, proficiency: 4 }, false, 0],
    ['proficiency above importance, interested: 0 + 1', { importance: 2, proficiency: 4 }, true, 1],
    ['equal ratings', { importance: 3, proficiency: 3 }, false, 0],
  ];
  it.each(cases)('%s', (_name, ratings, interested, expected) => {
    expect(fitFor(ratings, interested)).toBe(expected);
  });

  it.each([0, 6, 2.5, Number.NaN])('refuses a rating of %s', (rating) => {
    expect(() => fitFor({ importance: rating, proficiency: 3 }, false)).toThrow(RangeError);
    expect(() => fitFor({ importance: 3, proficiency: rating }, false)).toThrow(RangeError);
  });
});

describe('planPilotGroups, worked by hand', () => {
  const cases: Array<[string, PilotCandidate[], PilotOptions, Groups, number, PilotPlan['notFormed'], string[]]> = [
    [
      // Best fit first puts s1 (5) in A, leaving s2 with 0 for B: 5. Swapping gives 4 + 4 = 8.
      'best fit first is wrong',
      [person('s1', { A: 5, B: 4 }), person('s2', { A: 4, B: 0 })],
      { focuses: ['A', 'B'], minSize: 1, maxSize: 1, maxPerSchool: 3 },
      { A: ['s2'], B: ['s1'] },
      8,
      [],
      [],
    ],
    [
      // Focus by focus, A takes s1, s2 (3 + 3) and B gets s3, s4 (0 + 0): 6.
      // Leaving s1, s2 to B: A 2 + 2, B 3 + 3 = 10.
      'focus by focus is wrong',
      [
        person('s1', { A: 3, B: 3 }),
        person('s2', { A: 3, B: 3 }),
        person('s3', { A: 2, B: 0 }),
        person('s4', { A: 2, B: 0 }),
      ],
      { focuses: ['A', 'B'], minSize: 2, maxSize: 2, maxPerSchool: 3 },
      { A: ['s3', 's4'], B: ['s1', 's2'] },
      10,
      [],
      [],
    ],
    [
      // Only s1, s2 have a fit for B. A takes its best 4: s3 3, s1 2, s2 1, s5 1 = 7; s4 (0) stays out.
      'a focus that cannot reach minSize says why',
      [
        person('s1', { A: 2, B: 4 }),
        person('s2', { A: 1, B: 4 }),
        person('s3', { A: 3 }),
        person('s4', { A: 0 }),
        person('s5', { A: 1 }),
      ],
      { focuses: ['A', 'B'], minSize: 3, maxSize: 4, maxPerSchool: 4 },
      { A: ['s1', 's2', 's3', 's5'] },
      7,
      [{ competencyId: 'B', reason: 'only 2 candidates could join; a group needs 3' }],
      ['s4'],
    ],
    [
      // Without the cap m1, m2, m3 give 5 + 4 + 3 = 12; with 2 per school the third seat goes to o1: 5 + 4 + 1 = 10.
      'maxPerSchool binds',
      [
        person('m1', { A: 5 }, 'Maple'),
        person('m2', { A: 4 }, 'Maple'),
        person('m3', { A: 3 }, 'Maple'),
        person('o1', { A: 1 }, 'Oak'),
        person('o2', { A: 0 }, 'Oak'),
      ],
      { focuses: ['A'], minSize: 2, maxSize: 3, maxPerSchool: 2 },
      { A: ['m1', 'm2', 'o1'] },
      10,
      [],
      ['m3', 'o2'],
    ],
    [
      // A alone seats everyone: 5 + 5 + 4 + 4 = 18. Forming B too splits them 2 + 2, at best
      // 10 (e.g. A s3, s4 = 8 and B s1, s2 = 2), so B is left out.
      'forming a second group would lower the total',
      [
        person('s1', { A: 5, B: 1 }),
        person('s2', { A: 5, B: 1 }),
        person('s3', { A: 4, B: 0 }),
        person('s4', { A: 4, B: 0 }),
      ],
      { focuses: ['A', 'B'], minSize: 2, maxSize: 4, maxPerSchool: 4 },
      { A: ['s1', 's2', 's3', 's4'] },
      18,
      // The reason names no total: two totals of proposals that differ by one seat would tell one
      // person's fit.
      [{ competencyId: 'B', reason: 'forming it as well would lower the total fit of the groups' }],
      [],
    ],
    [
      // Both groups need 2 + 2 = 4 of 3 people. A alone: 1 + 1 + 1 = 3; B alone: 3 + 3 + 0 = 6.
      // s3 joins B at fit 0: the tie-break seats people when the fit does not suffer.
      'two groups cannot both form, so the better one does',
      [person('s1', { A: 1, B: 3 }), person('s2', { A: 1, B: 3 }), person('s3', { A: 1, B: 0 })],
      { focuses: ['A', 'B'], minSize: 2, maxSize: 3, maxPerSchool: 3 },
      { B: ['s1', 's2', 's3'] },
      6,
      [{ competencyId: 'A', reason: 'there are not enough candidates to form it alongside the B group' }],
      [],
    ],
    [
      // Four from one school, 2 may sit together, a group needs 3.
      'the school cap makes a group impossible',
      [
        person('s1', { A: 1 }, 'Maple'),
        person('s2', { A: 1 }, 'Maple'),
        person('s3', { A: 1 }, 'Maple'),
        person('s4', { A: 1 }, 'Maple'),
      ],
      { focuses: ['A'], minSize: 3, maxSize: 4, maxPerSchool: 2 },
      {},
      0,
      [
        {
          competencyId: 'A',
          reason:
            'only 2 of the 4 candidates who could join may sit together, since at most 2 may come from one school; ' +
            'a group needs 3',
        },
      ],
      ['s1', 's2', 's3', 's4'],
    ],
    [
      // All fit 2, two seats: the two smallest staff ids, whatever order they come in.
      'equal fits go to the smallest staff ids',
      [person('c', { A: 2 }), person('a', { A: 2 }), person('b', { A: 2 })],
      { focuses: ['A'], minSize: 1, maxSize: 2, maxPerSchool: 3 },
      { A: ['a', 'b'] },
      4,
      [],
      ['c'],
    ],
    [
      // One person, equally fit for both: the earlier focus gets them.
      'equal fits across focuses go to the earlier focus',
      [person('s1', { A: 1, B: 1 })],
      { focuses: ['A', 'B'], minSize: 1, maxSize: 1, maxPerSchool: 1 },
      { A: ['s1'] },
      1,
      [{ competencyId: 'B', reason: 'there are not enough candidates to form it alongside the A group' }],
      [],
    ],
    [
      'no candidates',
      [],
      { focuses: ['A'], minSize: 1, maxSize: 1, maxPerSchool: 1 },
      {},
      0,
      [{ competencyId: 'A', reason: 'no candidate could join; a group needs 1' }],
      [],
    ],
  ];

  it.each(cases)('%s', (_name, candidates, options, groups, objective, notFormed, unassigned) => {
    const plan = planPilotGroups(candidates, options);
    expect(groupsOf(plan)).toEqual(groups);
    expect(plan.objective).toBe(objective);
    expect(plan.notFormed).toEqual(notFormed);
    expect(plan.unassigned).toEqual(unassigned);
    expect(checkPilotPlan(plan, candidates, options)).toEqual([]);
    expect(plan.objective).toBe(exhaustive(candidates, options).fit);
  });

  it('lists groups in focus order, members by staff id, with their school and fit', () => {
    const plan = planPilotGroups(
      [person('z', { B: 2, A: 0 }, 'Oak'), person('y', { B: 0, A: 3 }, null), person('x', { B: 1, A: 1 }, 'Oak')],
      { focuses: ['B', 'A'], minSize: 1, maxSize: 2, maxPerSchool: 2 },
    );
    // B: z 2 + x 1 = 3, A: y 3, total 6; any other split loses fit.
    expect(plan.groups).toEqual([
      {
        competencyId: 'B',
        members: [
          { staffId: 'x', school: 'Oak', fit: 1 },
          { staffId: 'z', school: 'Oak', fit: 2 },
        ],
      },
      { competencyId: 'A', members: [{ staffId: 'y', school: null, fit: 3 }] },
    ]);
    expect(plan.objective).toBe(6);
  });

  it('refuses options outside the contract and bad input', () => {
    const ok: PilotOptions = { focuses: ['A'], minSize: 1, maxSize: 2, maxPerSchool: 1 };
    expect(() => planPilotGroups([], { ...ok, focuses: [] })).toThrow(RangeError);
    expect(() => planPilotGroups([], { ...ok, focuses: ['1', '2', '3', '4', '5', '6', '7', '8', '9'] })).toThrow(
      RangeError,
    );
    expect(() => planPilotGroups([], { ...ok, focuses: ['A', 'A'] })).toThrow(RangeError);
    expect(() => planPilotGroups([], { ...ok, minSize: 3 })).toThrow(RangeError);
    expect(() => planPilotGroups([], { ...ok, maxSize: 51 })).toThrow(RangeError);
    expect(() => planPilotGroups([], { ...ok, minSize: 0 })).toThrow(RangeError);
    expect(() => planPilotGroups([], { ...ok, maxPerSchool: 0 })).toThrow(RangeError);
    expect(() => planPilotGroups([person('a', { A: 1.5 })], ok)).toThrow(RangeError);
    expect(() => planPilotGroups([person('a', { A: -1 })], ok)).toThrow(RangeError);
    expect(() => planPilotGroups([person('a', { A: 1 }), person('a', { A: 2 })], ok)).toThrow(/twice/);
  });
});

const SCHOOLS: Array<string | null> = ['Maple', 'Oak', null];

const instance = fc
  .record({
    k: fc.integer({ min: 1, max: 3 }),
    n: fc.integer({ min: 0, max: 9 }),
    minSize: fc.integer({ min: 1, max: 3 }),
    extra: fc.integer({ min: 0, max: 2 }),
    maxPerSchool: fc.integer({ min: 1, max: 3 }),
    schools: fc.integer({ min: 1, max: 3 }),
  })
  .chain(({ k, n, minSize, extra, maxPerSchool, schools }) => {
    const focuses = ['F1', 'F2', 'F3'].slice(0, k);
    // A fit of −1 stands for a focus the candidate has no fit for.
    const candidate = fc.record({
      school: fc.integer({ min: 0, max: schools - 1 }),
      fits: fc.array(fc.integer({ min: -1, max: 5 }), { minLength: k, maxLength: k }),
    });
    return fc.record({
      options: fc.constant<PilotOptions>({ focuses, minSize, maxSize: minSize + extra, maxPerSchool }),
      candidates: fc.array(candidate, { minLength: n, maxLength: n }).map((raw) =>
        raw.map(
          ({ school, fits }, i): PilotCandidate => ({
            staffId: `s${(i * 7) % 10}${i}`,
            school: SCHOOLS[school] ?? null,
            fits: Object.fromEntries(
              fits.flatMap((fit, f) => (fit < 0 ? [] : [[focuses[f] ?? '', fit] as [string, number]])),
            ),
          }),
        ),
      ),
      order: fc.array(fc.integer(), { minLength: n, maxLength: n }),
    });
  });

describe('planPilotGroups on random small instances', () => {
  it('reaches the exhaustive optimum, fit first and tie score second', () => {
    fc.assert(
      fc.property(instance, ({ candidates, options }) => {
        const plan = planPilotGroups(candidates, options);
        const best = exhaustive(candidates, options);
        expect(plan.objective).toBe(best.fit);
        expect(tieScore(plan, candidates, options)).toBe(best.tie);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps every rule, accounts for everyone and sums the objective', () => {
    fc.assert(
      fc.property(instance, ({ candidates, options }) => {
        const plan = planPilotGroups(candidates, options);
        expect(checkPilotPlan(plan, candidates, options)).toEqual([]);
        const placed = plan.groups.flatMap((group) => group.members.map((member) => member.staffId));
        expect([...placed, ...plan.unassigned].sort(byId)).toEqual(candidates.map((c) => c.staffId).sort(byId));
        const fit = plan.groups.flatMap((group) => group.members).reduce((sum, member) => sum + member.fit, 0);
        expect(plan.objective).toBe(fit);
        const named = [...plan.groups.map((g) => g.competencyId), ...plan.notFormed.map((g) => g.competencyId)];
        expect(named.sort(byId)).toEqual([...options.focuses].sort(byId));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same plan for the same candidates in any order', () => {
    fc.assert(
      fc.property(instance, ({ candidates, options, order }) => {
        const shuffled = candidates
          .map((candidate, i) => ({ candidate, key: order[i] ?? 0, i }))
          .sort((a, b) => a.key - b.key || a.i - b.i)
          .map(({ candidate }) => candidate);
        expect(planPilotGroups(shuffled, options)).toEqual(planPilotGroups(candidates, options));
        expect(planPilotGroups(candidates, options)).toEqual(planPilotGroups(candidates, options));
      }),
      { numRuns: 300 },
    );
  });
});

describe('checkPilotPlan', () => {
  const options: PilotOptions = {
    focuses: ['formative-assessment', 'feedback'],
    minSize: 2,
    maxSize: 3,
    maxPerSchool: 2,
  };
  const candidates = [
    person('a', { 'formative-assessment': 3, feedback: 1 }, 'Maple Elementary'),
    person('b', { 'formative-assessment': 2, feedback: 1 }, 'Maple Elementary'),
    person('c', { 'formative-assessment': 2, feedback: 1 }, 'Maple Elementary'),
    person('d', { 'formative-assessment': 1, feedback: 2 }, null),
    person('e', { 'formative-assessment': 1, feedback: 2 }, null),
    person('f', { 'formative-assessment': 1 }, null),
  ];
  const member = (staffId: string) => {
    const candidate = candidates.find((c) => c.staffId === staffId);
    return { staffId, school: candidate?.school ?? null, fit: 0 };
  };
  const planWith = (groups: Record<string, string[]>): PilotPlan => ({
    groups: Object.entries(groups).map(([competencyId, ids]) => ({ competencyId, members: ids.map(member) })),
    notFormed: [],
    unassigned: [],
    objective: 0,
  });

  const cases: Array<[string, Record<string, string[]>, string[]]> = [
    ['a valid plan', { 'formative-assessment': ['a', 'b', 'd'], feedback: ['e', 'c'] }, []],
    [
      'a group too small',
      { 'formative-assessment': ['a'] },
      ['The formative-assessment group has 1 member; a group needs at least 2'],
    ],
    [
      'a group too large',
      { feedback: ['a', 'b', 'd', 'e'] },
      ['The feedback group has 4 members; a group may have at most 3'],
    ],
    [
      'too many from one school',
      { 'formative-assessment': ['a', 'b', 'c'] },
      ['Maple Elementary would have 3 members in the formative-assessment group; at most 2 may come from one school'],
    ],
    [
      'too many with no school',
      { 'formative-assessment': ['d', 'e', 'f'] },
      [
        'Staff with no school (the district office) would have 3 members in the formative-assessment group; ' +
          'at most 2 may come from one school',
      ],
    ],
    [
      'a member in two groups',
      { 'formative-assessment': ['a', 'd'], feedback: ['d', 'e'] },
      ['d is in both the formative-assessment and the feedback groups; a person joins at most one'],
    ],
    [
      'a member listed twice in one group',
      { 'formative-assessment': ['a', 'a', 'd'] },
      ['a is listed twice in the formative-assessment group'],
    ],
    [
      'an unknown candidate',
      { 'formative-assessment': ['a', 'zz'] },
      ['zz in the formative-assessment group is not one of the candidates'],
    ],
    [
      'a focus not in the options',
      { coaching: ['a', 'd'] },
      ['coaching is not one of the focuses of this pilot, so it cannot have a group'],
    ],
    [
      'a member with no fit for the focus',
      { feedback: ['d', 'f'] },
      ['f cannot join the feedback group: they were not a candidate for it'],
    ],
  ];

  it.each(cases)('%s', (_name, groups, expected) => {
    expect(checkPilotPlan(planWith(groups), candidates, options)).toEqual(expected);
  });

  it('finds two groups for one focus', () => {
    const plan = planWith({ feedback: ['d', 'e'] });
    plan.groups.push({ competencyId: 'feedback', members: [member('a'), member('f')] });
    expect(checkPilotPlan(plan, candidates, options)).toEqual([
      'There is more than one feedback group; each focus gets at most one',
      'f cannot join the feedback group: they were not a candidate for it',
    ]);
  });

  it('takes the school from the candidates, not from an edited plan', () => {
    const plan = planWith({ 'formative-assessment': ['a', 'b', 'c'] });
    for (const m of plan.groups[0]?.members ?? []) m.school = 'Oak';
    expect(checkPilotPlan(plan, candidates, options)).toHaveLength(1);
  });
});

describe('planPilotGroups at district scale', () => {
  it('plans 2,000 candidates × 3 focuses within every rule', () => {
    // A fixed linear congruential generator: the same district on every run.
    let seed = 12345;
    const random = (below: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % below;
    };
    const focuses = ['formative-assessment', 'feedback', 'questioning'];
    const candidates: PilotCandidate[] = Array.from({ length: 2000 }, (_, i) => ({
      staffId: `staff-${String(i).padStart(4, '0')}`,
      school: random(25) === 0 ? null : `School ${random(40)}`,
      fits: Object.fromEntries(
        focuses.map(
          (focus) =>
            [focus, fitFor({ importance: 1 + random(5), proficiency: 1 + random(5) }, random(3) === 0)] as const,
        ),
      ),
    }));
    const options: PilotOptions = { focuses, minSize: 6, maxSize: 10, maxPerSchool: 3 };
    const plan = planPilotGroups(candidates, options);
    expect(checkPilotPlan(plan, candidates, options)).toEqual([]);
    expect(plan.groups).toHaveLength(3);
    expect(plan.unassigned).toHaveLength(2000 - 30);
    // 30 seats and plenty of people with a gap of 4 plus interest: every seat can take the top fit of 5.
    expect(plan.objective).toBe(150);
  });
});
