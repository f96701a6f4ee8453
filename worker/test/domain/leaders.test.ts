import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aspiringLeaders,
  type Influencer,
  inDegrees,
  type LeaderRespondent,
  leadershipPipeline,
  MIN_NOMINATIONS,
  peerInfluencers,
  publishedPipeline,
} from '../../src/domain/leaders';

function respondent(staffId: string, fields: Partial<LeaderRespondent> = {}): LeaderRespondent {
  return {
    staffId,
    schoolId: null,
    careerStage: null,
    leadershipInterest: [],
    selfNominate: false,
    peerNominations: [],
    ...fields,
  };
}

/** Respondents from who named whom: { nominee: [nominators] }, inverted into each nominator's answer. */
function naming(nominatorsOf: Record<string, string[]>): LeaderRespondent[] {
  const lists = new Map<string, string[]>();
  for (const [nominee, nominators] of Object.entries(nominatorsOf)) {
    for (const nominator of nominators) lists.set(nominator, [...(lists.get(nominator) ?? []), nominee]);
  }
  return [...lists].map(([staffId, peerNominations]) => respondent(staffId, { peerNominations }));
}

/** The roster as the route hands it over: who is in which school, and how many each school has. */
function roster(schools: Record<string, string[]>, withoutSchool: string[] = []) {
  const school = new Map<string, string | null>();
  for (const [schoolId, staff] of Object.entries(schools)) for (const staffId of staff) school.set(staffId, schoolId);
  for (const staffId of withoutSchool) school.set(staffId, null);
  const sizes = new Map<string | null, number>();
  for (const schoolId of school.values()) sizes.set(schoolId, (sizes.get(schoolId) ?? 0) + 1);
  return { schoolOf: (staffId: string) => school.get(staffId), sizes };
}

/** Staff ids prefix01 … prefixNN. */
const staff = (prefix: string, count: number): string[] =>
  Array.from({ length: count }, (_, index) => `${prefix}${String(index + 1).padStart(2, '0')}`);

describe('inDegrees', () => {
  it('counts each nominator once per nominee, never a self-nomination, and nominees who did not answer', () => {
    const degrees = inDegrees([
      respondent('a', { peerNominations: ['p', 'p', 'q'] }),
      respondent('b', { peerNominations: ['p', 'b'] }),
      // The same person's answer twice (an old duplicate) still names p once.
      respondent('b', { peerNominations: ['p'] }),
      respondent('p', { peerNominations: ['p', 'q'] }),
    ]);
    expect(Object.fromEntries(degrees)).toEqual({ p: 2, q: 2 });
  });
});

describe('peerInfluencers', () => {
  const maple = staff('m', 20);

  it('takes the top decile of a school of 20: the 3rd highest in-degree is the bar', () => {
    // In-degrees m01 6, m02 5, m03 4, m04 3, m05 2, m06 2, m07 1, the other 13 staff 0.
    // Ascending: 13 zeros, 1, 2, 2, 3, 4, 5, 6. k = ⌈0.9 · 20⌉ = 18, d₁₈ = 4 (the 3rd highest).
    // In: m01 6, m02 5, m03 4. m04 has 3 nominations, enough for the floor, but is below the bar.
    const { schoolOf, sizes } = roster({ maple });
    const respondents = naming({
      m01: ['m08', 'm09', 'm10', 'm11', 'm12', 'm13'],
      m02: ['m08', 'm09', 'm10', 'm11', 'm12'],
      m03: ['m14', 'm15', 'm16', 'm17'],
      m04: ['m14', 'm15', 'm16'],
      m05: ['m18', 'm19'],
      m06: ['m18', 'm20'],
      m07: ['m20'],
    });
    expect(peerInfluencers(respondents, schoolOf, sizes)).toEqual([
      { staffId: 'm01', schoolId: 'maple', nominations: 6 },
      { staffId: 'm02', schoolId: 'maple', nominations: 5 },
      { staffId: 'm03', schoolId: 'maple', nominations: 4 },
    ]);
  });

  it('lets in everyone tied at the bar, however many places the decile has', () => {
    // A school of 10: k = ⌈9⌉ = 9, two places. In-degrees e01 5, e02–e04 4, e05 1, five staff 0.
    // Ascending: 0 ×5, 1, 4, 4, 4, 5 → d₉ = 4. All three at 4 are in beside e01: four people for two places.
    const elm = staff('e', 10);
    const { schoolOf, sizes } = roster({ elm });
    const respondents = naming({
      e01: ['e05', 'e06', 'e07', 'e08', 'e09'],
      e04: ['e06', 'e07', 'e08', 'e09'],
      e03: ['e06', 'e07', 'e08', 'e10'],
      e02: ['e07', 'e08', 'e09', 'e10'],
      e05: ['e10'],
    });
    expect(peerInfluencers(respondents, schoolOf, sizes)).toEqual([
      { staffId: 'e01', schoolId: 'elm', nominations: 5 },
      { staffId: 'e02', schoolId: 'elm', nominations: 4 },
      { staffId: 'e03', schoolId: 'elm', nominations: 4 },
      { staffId: 'e04', schoolId: 'elm', nominations: 4 },
    ]);
  });

  it('finds nobody in a school whose most named person has 2 nominations', () => {
    // A school of 5: k = ⌈4.5⌉ = 5, so the bar is the highest in-degree, 2; but 2 < 3.
    const ash = staff('a', 5);
    const { schoolOf, sizes } = roster({ ash });
    const respondents = naming({ a01: ['a03', 'a04'], a02: ['a05'], a03: ['a05'] });
    expect(peerInfluencers(respondents, schoolOf, sizes)).toEqual([]);
  });

  it('compares a nominee within their own school on the roster, whoever named them', () => {
    // Oak has 4 staff: k = ⌈3.6⌉ = 4, one place. o01 is named by three Maple staff (who say so in their
    // answers, and one of whom claims Oak), o02 by one Oak colleague. Ascending 0, 0, 1, 3 → d₄ = 3: o01 is in.
    // Maple's own in-degrees are all 0 or 1, so Maple has nobody; o01 did not answer and still counts.
    const oak = staff('o', 4);
    const { schoolOf, sizes } = roster({ maple, oak });
    const respondents = [
      respondent('m01', { schoolId: 'maple', peerNominations: ['o01', 'm02'] }),
      respondent('m02', { schoolId: 'maple', peerNominations: ['o01'] }),
      respondent('m03', { schoolId: 'oak', peerNominations: ['o01'] }),
      respondent('o03', { schoolId: 'oak', peerNominations: ['o02'] }),
    ];
    expect(peerInfluencers(respondents, schoolOf, sizes)).toEqual([
      { staffId: 'o01', schoolId: 'oak', nominations: 3 },
    ]);
  });

  it('counts a nominator once per nominee and never a self-nomination', () => {
    // A school of 3: k = ⌈2.7⌉ = 3, one place. p01 is named by p02 twice, by p03, by x (another school)
    // and by themselves: 3 distinct others. Counting every mention would give 5.
    const { schoolOf, sizes } = roster({ pine: staff('p', 3), other: ['x'] });
    const respondents = [
      respondent('p01', { peerNominations: ['p01'] }),
      respondent('p02', { peerNominations: ['p01', 'p01'] }),
      respondent('p03', { peerNominations: ['p01'] }),
      respondent('x', { peerNominations: ['p01'] }),
    ];
    expect(peerInfluencers(respondents, schoolOf, sizes)).toEqual([
      { staffId: 'p01', schoolId: 'pine', nominations: 3 },
    ]);
  });

  it("counts the whole roster, not only the staff who were named, in the school's decile", () => {
    // Five nominees with 6, 5, 4, 3, 3 in a school of 40: k = 36, five places (ranks 36–40), d₃₆ = 3, so all five
    // are in. Had only the nominees been counted (n = 5, k = 5, one place), only w01 would be.
    const willow = staff('w', 40);
    const { schoolOf, sizes } = roster({ willow });
    const nominators = willow.slice(5);
    const respondents = naming({
      w01: nominators.slice(0, 6),
      w02: nominators.slice(6, 11),
      w03: nominators.slice(11, 15),
      w04: nominators.slice(15, 18),
      w05: nominators.slice(18, 21),
    });
    expect(peerInfluencers(respondents, schoolOf, sizes).map((influencer) => influencer.nominations)).toEqual([
      6, 5, 4, 3, 3,
    ]);
    // Without a roster size the nominees are all the school there is.
    expect(peerInfluencers(respondents, schoolOf, new Map())).toEqual([
      { staffId: 'w01', schoolId: 'willow', nominations: 6 },
    ]);
  });

  it('sorts by school (staff without a school last), then nominations, then staff id; drops ids off the roster', () => {
    // Birch and cedar have 3 staff each, one place; the 2 staff without a school are a group of their own
    // (k = ⌈1.8⌉ = 2, one place). gone is named 4 times but is no longer on the roster.
    const { schoolOf, sizes } = roster({ cedar: ['c1', 'c2', 'c3'], birch: ['b1', 'b2', 'b3'] }, ['d1', 'd2']);
    const respondents = naming({
      d1: ['b1', 'b2', 'c1', 'c2', 'c3'],
      c3: ['b1', 'b2', 'b3'],
      b2: ['c1', 'c2', 'c3', 'd1'],
      gone: ['b1', 'c1', 'd1', 'd2'],
    });
    const expected: Influencer[] = [
      { staffId: 'b2', schoolId: 'birch', nominations: 4 },
      { staffId: 'c3', schoolId: 'cedar', nominations: 3 },
      { staffId: 'd1', schoolId: null, nominations: 5 },
    ];
    expect(peerInfluencers(respondents, schoolOf, sizes)).toEqual(expected);
  });

  it.each([-1, 2.5, Number.NaN])('refuses a roster size of %f', (size) => {
    const { schoolOf } = roster({ pine: staff('p', 3) });
    const respondents = naming({ p01: ['a', 'b', 'c'] });
    expect(() => peerInfluencers(respondents, schoolOf, new Map([['pine', size]]))).toThrow(RangeError);
  });

  // A district of 60 staff: schools of 30, 15 and 10 (4, 2 and 2 places) and 5 without a school (1 place), with
  // ids off the roster too. A few popular people in each draw most nominations, so ties and bars above 3 come up.
  const rosterIds = staff('s', 60);
  const schoolCycle = ['a', 'b', 'c', null] as const;
  const district = roster(
    { a: rosterIds.slice(0, 30), b: rosterIds.slice(30, 45), c: rosterIds.slice(45, 55) },
    rosterIds.slice(55),
  );
  const popularArb = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.constantFrom('s01', 's02', 's03', 's04', 's05', 's06', 's31', 's32', 's33', 's46', 's47'),
    },
    { weight: 1, arbitrary: fc.constantFrom('s56', 's57') },
    { weight: 2, arbitrary: fc.constantFrom(...rosterIds) },
    { weight: 1, arbitrary: fc.constantFrom('x1', 'x2') },
  );
  const respondentsArb = fc
    .uniqueArray(fc.constantFrom(...rosterIds), { maxLength: 60, size: 'max' })
    .chain((ids) =>
      fc.tuple(
        ...ids.map((id) =>
          fc.array(popularArb, { maxLength: 4 }).map((list) => respondent(id, { peerNominations: list })),
        ),
      ),
    );

  /** The rule as stated, the slow way: every rostered person's distinct nominators, zeros and all. */
  function reference(respondents: LeaderRespondent[]): Influencer[] {
    const nominators = new Map<string, Set<string>>();
    for (const { staffId, peerNominations } of respondents) {
      for (const nominee of peerNominations) {
        if (nominee !== staffId) nominators.set(nominee, (nominators.get(nominee) ?? new Set()).add(staffId));
      }
    }
    const result: Influencer[] = [];
    for (const schoolId of schoolCycle) {
      const members = rosterIds.filter((id) => district.schoolOf(id) === schoolId);
      const degree = (id: string) => nominators.get(id)?.size ?? 0;
      const ascending = members.map(degree).sort((a, b) => a - b);
      // Nearest rank: the first value with at least 90% of the school at or below it.
      const threshold = ascending.find((_, index) => (index + 1) * 10 >= 9 * ascending.length) ?? 0;
      for (const id of members) {
        if (degree(id) >= threshold && degree(id) >= 3) result.push({ staffId: id, schoolId, nominations: degree(id) });
      }
    }
    // schoolCycle already puts the schools in order, null last.
    return result.sort(
      (x, y) =>
        schoolCycle.indexOf(x.schoolId as (typeof schoolCycle)[number]) -
          schoolCycle.indexOf(y.schoolId as (typeof schoolCycle)[number]) ||
        y.nominations - x.nominations ||
        (x.staffId < y.staffId ? -1 : 1),
    );
  }

  it('agrees with the rule computed the slow way, and returns nobody under 3 nominations', () => {
    fc.assert(
      fc.property(respondentsArb, (respondents) => {
        const influencers = peerInfluencers(respondents, district.schoolOf, district.sizes);
        expect(influencers).toEqual(reference(respondents));
        for (const influencer of influencers) expect(influencer.nominations).toBeGreaterThanOrEqual(MIN_NOMINATIONS);
      }),
    );
  });

  it('does not depend on the order of respondents or of their nominations', () => {
    const shuffled = respondentsArb.chain((list) =>
      fc.tuple(
        fc.constant(list),
        fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }).chain((order) =>
          fc.tuple(
            ...order.map((one) =>
              fc
                .shuffledSubarray(one.peerNominations, {
                  minLength: one.peerNominations.length,
                  maxLength: one.peerNominations.length,
                })
                .map((peerNominations) => ({ ...one, peerNominations })),
            ),
          ),
        ),
      ),
    );
    fc.assert(
      fc.property(shuffled, ([list, permutation]) => {
        expect(peerInfluencers(permutation, district.schoolOf, district.sizes)).toEqual(
          peerInfluencers(list, district.schoolOf, district.sizes),
        );
      }),
    );
  });

  it('never drops someone who receives one more nomination', () => {
    fc.assert(
      fc.property(respondentsArb, fc.nat(), fc.constantFrom(...rosterIds), (respondents, pick, nominator) => {
        const before = peerInfluencers(respondents, district.schoolOf, district.sizes);
        const chosen = before[pick % Math.max(1, before.length)];
        if (chosen === undefined) return;
        const answered = respondents.some((one) => one.staffId === nominator);
        const after = answered
          ? respondents.map((one) =>
              one.staffId === nominator ? { ...one, peerNominations: [...one.peerNominations, chosen.staffId] } : one,
            )
          : [...respondents, respondent(nominator, { peerNominations: [chosen.staffId] })];
        const ids = peerInfluencers(after, district.schoolOf, district.sizes).map((influencer) => influencer.staffId);
        expect(ids).toContain(chosen.staffId);
      }),
    );
  });
});

describe('aspiringLeaders', () => {
  it('keeps those who put themselves forward, by staff id', () => {
    const respondents = [
      respondent('s3', { selfNominate: true, leadershipInterest: ['mentor'] }),
      respondent('s1', { selfNominate: false, leadershipInterest: ['principal'] }),
      respondent('s10', { selfNominate: true }),
      respondent('s2', { selfNominate: true, schoolId: 'oak' }),
    ];
    expect(aspiringLeaders(respondents).map((one) => one.staffId)).toEqual(['s10', 's2', 's3']);
    expect(aspiringLeaders(respondents)[1]).toBe(respondents[3]);
    expect(aspiringLeaders([])).toEqual([]);
  });
});

describe('leadershipPipeline', () => {
  it('counts each respondent once per school, career stage and role, in the framework order', () => {
    // Oak: two early-career staff want to mentor, one of them also to coach; a veteran wants to mentor and lead a
    // school; someone without a career stage wants to mentor. Maple: one established teacher wants to coach, with
    // the role ticked twice. No school: a respondent interested in a role the framework no longer has, and in
    // mentoring. A respondent with no interest adds nothing.
    const respondents = [
      respondent('o1', { schoolId: 'oak', careerStage: 'early-career', leadershipInterest: ['mentor'] }),
      respondent('o2', {
        schoolId: 'oak',
        careerStage: 'early-career',
        leadershipInterest: ['instructional-coach', 'mentor'],
      }),
      respondent('o3', { schoolId: 'oak', careerStage: 'veteran', leadershipInterest: ['principal', 'mentor'] }),
      respondent('o4', { schoolId: 'oak', careerStage: null, leadershipInterest: ['mentor'] }),
      respondent('m1', {
        schoolId: 'maple',
        careerStage: 'established',
        leadershipInterest: ['instructional-coach', 'instructional-coach'],
      }),
      respondent('d1', { schoolId: null, careerStage: 'veteran', leadershipInterest: ['retired-role', 'mentor'] }),
      respondent('m2', { schoolId: 'maple', careerStage: 'veteran', leadershipInterest: [] }),
    ];
    expect(leadershipPipeline(respondents)).toEqual([
      { schoolId: 'maple', careerStage: 'established', leadershipRole: 'instructional-coach', n: 1 },
      { schoolId: 'oak', careerStage: 'early-career', leadershipRole: 'mentor', n: 2 },
      { schoolId: 'oak', careerStage: 'early-career', leadershipRole: 'instructional-coach', n: 1 },
      { schoolId: 'oak', careerStage: 'veteran', leadershipRole: 'mentor', n: 1 },
      { schoolId: 'oak', careerStage: 'veteran', leadershipRole: 'principal', n: 1 },
      { schoolId: 'oak', careerStage: null, leadershipRole: 'mentor', n: 1 },
      { schoolId: null, careerStage: 'veteran', leadershipRole: 'mentor', n: 1 },
      { schoolId: null, careerStage: 'veteran', leadershipRole: 'retired-role', n: 1 },
    ]);
  });

  it('counts a respondent listed twice once', () => {
    const one = respondent('o1', { schoolId: 'oak', careerStage: 'veteran', leadershipInterest: ['mentor'] });
    expect(leadershipPipeline([one, { ...one }])).toEqual([
      { schoolId: 'oak', careerStage: 'veteran', leadershipRole: 'mentor', n: 1 },
    ]);
    expect(leadershipPipeline([])).toEqual([]);
  });

  const pipelineArb = fc.uniqueArray(
    fc.record({
      staffId: fc.constantFrom(...staff('s', 12)),
      schoolId: fc.constantFrom('oak', 'maple', null),
      careerStage: fc.constantFrom('early-career', 'veteran', 'unknown-stage', null),
      leadershipInterest: fc.uniqueArray(fc.constantFrom('mentor', 'principal', 'unknown-role'), { maxLength: 3 }),
      selfNominate: fc.boolean(),
      peerNominations: fc.constant<string[]>([]),
    }),
    { selector: (one) => one.staffId },
  );

  it('does not depend on the order of respondents, and has one count per interest ticked', () => {
    const shuffled = pipelineArb.chain((list) =>
      fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length })),
    );
    fc.assert(
      fc.property(shuffled, ([list, permutation]) => {
        const cells = leadershipPipeline(list);
        expect(leadershipPipeline(permutation)).toEqual(cells);
        const ticked = list.reduce((sum, one) => sum + one.leadershipInterest.length, 0);
        expect(cells.reduce((sum, cell) => sum + cell.n, 0)).toBe(ticked);
      }),
    );
  });
});

describe('publishedPipeline', () => {
  /** `count` respondents of a school and stage interested in a role, named (self-nominated) or not. */
  const people = (
    prefix: string,
    count: number,
    fields: Pick<LeaderRespondent, 'schoolId' | 'careerStage' | 'leadershipInterest'> & { selfNominate?: boolean },
  ) => staff(prefix, count).map((staffId) => respondent(staffId, fields));
  const EARLY_MENTOR = { careerStage: 'early-career', leadershipInterest: ['mentor'] };
  const VETERAN_PRINCIPAL = { careerStage: 'veteran', leadershipInterest: ['principal'] };
  const EARLY_MENTOR_CELL = { careerStage: 'early-career', leadershipRole: 'mentor' };

  // k = 3. Early-career mentors: oak 4 unnamed; maple 3 unnamed + 1 named; pine 1 unnamed;
  // birch 2 named only. Veteran principals: oak 5 named + 1 unnamed; maple 2 unnamed. No
  // career stage, mentor: oak 2 unnamed.
  const respondents = [
    ...people('o', 4, { schoolId: 'oak', ...EARLY_MENTOR }),
    ...people('m', 3, { schoolId: 'maple', ...EARLY_MENTOR }),
    ...people('mn', 1, { schoolId: 'maple', ...EARLY_MENTOR, selfNominate: true }),
    ...people('p', 1, { schoolId: 'pine', ...EARLY_MENTOR }),
    ...people('bn', 2, { schoolId: 'birch', ...EARLY_MENTOR, selfNominate: true }),
    ...people('vn', 5, { schoolId: 'oak', ...VETERAN_PRINCIPAL, selfNominate: true }),
    ...people('v', 1, { schoolId: 'oak', ...VETERAN_PRINCIPAL }),
    ...people('w', 2, { schoolId: 'maple', ...VETERAN_PRINCIPAL }),
    ...people('z', 2, { schoolId: 'oak', careerStage: null, leadershipInterest: ['mentor'] }),
  ];

  it('publishes only cells with k unnamed people, and hides the next smallest where one hidden cell is a subtraction', () => {
    // Early-career mentor, unnamed per school: oak 4, maple 3, pine 1, birch 0 (its 2 are
    // named). Primary: pine (1) and birch (0) hidden. Pine would be the only occupied hidden
    // cell, district 11 − oak 4 − maple 4 − birch's 2 named = 1, so the next smallest, maple
    // (3), goes too: hidden maple + pine hold 4 ≥ 3 unnamed over two cells. District
    // 4 + 4 + 1 + 2 = 11 is shown (8 unnamed ≥ 3).
    // Veteran principal: oak has n = 6 but only 1 unnamed (5 are named beside the table), so
    // it is hidden; maple 2 hidden; together 3 ≥ 3, so the district's 6 + 2 = 8 is shown.
    // No career stage, mentor: 2 unnamed in all, under k: the district cell is hidden too.
    expect(publishedPipeline(respondents, 3)).toEqual({
      rows: [{ schoolId: 'oak', careerStage: 'early-career', leadershipRole: 'mentor', n: 4 }],
      district: [
        { careerStage: 'early-career', leadershipRole: 'mentor', n: 11 },
        { careerStage: 'veteran', leadershipRole: 'principal', n: 8 },
      ],
    });
  });

  it('shows a school with 1 interested exactly as one with none: absent', () => {
    // k = 3, early-career mentors, all unnamed: oak 4, elm 2, cedar 2, and pine 1 or nobody.
    // Elm, cedar (and pine) are hidden by the primary rule; hidden together 5 (or 4) over
    // 2+ cells, so nothing more is hidden. Only the district total moves: 9 or 8.
    const base = [
      ...people('o', 4, { schoolId: 'oak', ...EARLY_MENTOR }),
      ...people('e', 2, { schoolId: 'elm', ...EARLY_MENTOR }),
      ...people('c', 2, { schoolId: 'cedar', ...EARLY_MENTOR }),
    ];
    const withOne = publishedPipeline([...base, ...people('p', 1, { schoolId: 'pine', ...EARLY_MENTOR })], 3);
    const withNone = publishedPipeline(base, 3);
    const oak = { schoolId: 'oak', careerStage: 'early-career', leadershipRole: 'mentor', n: 4 };
    expect(withOne).toEqual({ rows: [oak], district: [{ ...EARLY_MENTOR_CELL, n: 9 }] });
    expect(withNone).toEqual({ rows: [oak], district: [{ ...EARLY_MENTOR_CELL, n: 8 }] });
  });

  it('never lets a hidden cell be recovered from the district cell and the shown ones (fast-check)', () => {
    const arb = fc.uniqueArray(
      fc.record({
        staffId: fc.constantFrom(...staff('s', 40)),
        schoolId: fc.constantFrom('oak', 'maple', 'pine', null),
        careerStage: fc.constantFrom('early-career', 'veteran', null),
        leadershipInterest: fc.uniqueArray(fc.constantFrom<string>('mentor', 'principal'), { maxLength: 2 }),
        selfNominate: fc.boolean(),
        peerNominations: fc.constant<string[]>([]),
      }),
      { selector: (one) => one.staffId, maxLength: 40 },
    );
    fc.assert(
      fc.property(arb, fc.constantFrom(3, 5), (list, k) => {
        const { rows, district } = publishedPipeline(list, k);
        const unnamedIn = (schoolId: string | null, stage: string | null, role: string) =>
          list.filter(
            (one) =>
              !one.selfNominate &&
              one.schoolId === schoolId &&
              one.careerStage === stage &&
              one.leadershipInterest.includes(role),
          ).length;
        for (const row of rows)
          expect(unnamedIn(row.schoolId, row.careerStage, row.leadershipRole)).toBeGreaterThanOrEqual(k);
        for (const stage of ['early-career', 'veteran', null]) {
          for (const role of ['mentor', 'principal']) {
            const shown = rows.filter((row) => row.careerStage === stage && row.leadershipRole === role);
            const total = district.find((cell) => cell.careerStage === stage && cell.leadershipRole === role);
            if (!total) {
              expect(shown).toEqual([]);
              continue;
            }
            // What subtraction gives: the hidden schools' unnamed people together, and how many hold any.
            const hidden = (['oak', 'maple', 'pine', null] as const)
              .filter((school) => !shown.some((row) => row.schoolId === school))
              .map((school) => unnamedIn(school, stage, role))
              .filter((n) => n > 0);
            const sum = hidden.reduce((a, b) => a + b, 0);
            expect(sum === 0 || (sum >= k && hidden.length >= 2)).toBe(true);
          }
        }
      }),
    );
  });
});
