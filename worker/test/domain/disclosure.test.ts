/**
 * The disclosure plan against an attacker written apart from the audit: it reads only what
 * the plan lets out (every shown cell of every table, the totals) and the roster's staff
 * counts, writes its own LP as text for HiGHS's one-shot solver, and bounds each hidden
 * cell from below and above; a cell whose range holds a single whole number is pinned.
 * It must pin no occupied cell, on the one-role school of the issue and on random small
 * districts; and with the audit off (rules 1 and 2 only) it must pin the one-role school,
 * which shows the test can fail.
 */
import fc from 'fast-check';
import highsLoader, { type Highs } from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type DisclosurePlan,
  disclosurePlan,
  type Profile,
  type ProfileCounts,
  type PublishedCounts,
  type RosterProfile,
  withinTablePlan,
} from '../../src/domain/disclosure';
import type { SegmentDimension } from '../../src/domain/focuses';

const DIMENSIONS: SegmentDimension[] = ['school', 'role', 'careerStage', 'subject', 'gradeBand'];

let highs: Highs;
beforeAll(async () => {
  highs = await highsLoader();
});

/** A small district: what each dimension lists, the roster, and who answered (rating which competencies). */
interface Campaign {
  k: number;
  lists: Record<SegmentDimension, string[]>;
  roster: RosterProfile[];
  respondents: Array<{ profile: Profile; rated: string[] }>;
  competencies: string[];
}

const key = (p: Profile) => JSON.stringify(DIMENSIONS.map((d) => p[d]));

/** The published counts (what every table's n is made of) and the true counts per profile. */
function publish(campaign: Campaign): { published: PublishedCounts; truth: ProfileCounts[] } {
  const respondents = new Map<SegmentDimension, Map<string, number>>(DIMENSIONS.map((d) => [d, new Map()]));
  const raters = new Map<string, Map<SegmentDimension, Map<string, number>>>();
  const truth = new Map<string, ProfileCounts & { raters: Map<string, number> }>();
  const bump = (map: Map<string, number>, at: string) => map.set(at, (map.get(at) ?? 0) + 1);
  for (const { profile, rated } of campaign.respondents) {
    for (const d of DIMENSIONS) bump(respondents.get(d) as Map<string, number>, profile[d]);
    const entry = truth.get(key(profile)) ?? { ...profile, respondents: 0, raters: new Map() };
    entry.respondents++;
    truth.set(key(profile), entry);
    for (const c of rated) {
      bump(entry.raters, c);
      let byDimension = raters.get(c);
      if (!byDimension) {
        byDimension = new Map(DIMENSIONS.map((d) => [d, new Map()]));
        raters.set(c, byDimension);
      }
      for (const d of DIMENSIONS) bump(byDimension.get(d) as Map<string, number>, profile[d]);
    }
  }
  return {
    published: {
      k: campaign.k,
      respondents,
      raters,
      segments: new Map(DIMENSIONS.map((d) => [d, ['', ...campaign.lists[d]]])),
    },
    truth: [...truth.values()],
  };
}

interface Pin {
  table: string;
  dimension: SegmentDimension;
  segment: string;
  value: number;
}

/**
 * The attacker. Unknowns per roster profile (and per profile with a blank subject, which
 * respondents may leave out), one set for respondents and one per competency shown; every
 * shown figure an equality; 0 ≤ raters ≤ respondents ≤ roster staff. Returns every hidden
 * cell whose feasible range holds one whole number only.
 */
function attack(plan: DisclosurePlan, published: PublishedCounts, roster: RosterProfile[]): Pin[] {
  const staffOf = new Map<string, { profile: Profile; staff: number }>();
  const addProfile = (profile: Profile, staff: number) => {
    const found = staffOf.get(key(profile));
    if (found) found.staff += staff;
    else staffOf.set(key(profile), { profile, staff });
  };
  for (const { staff, ...profile } of roster) addProfile(profile, staff);
  for (const { staff, ...profile } of roster)
    if (profile.subject !== '') addProfile({ ...profile, subject: '' }, staff);
  const columns = [...staffOf.values()];
  const total = [...(published.respondents.get('school')?.values() ?? [])].reduce((a, b) => a + b, 0);
  const shownCompetencies = [...published.raters.keys()].filter((c) => !plan.competencyHidden(c));
  const tables = ['', ...shownCompetencies];
  const name = (t: number, p: number) => `x${t}_${p}`;
  const lines: string[] = [];
  const countsOf = (t: number, d: SegmentDimension) =>
    t === 0 ? published.respondents.get(d) : published.raters.get(tables[t] as string)?.get(d);
  const isShown = (t: number, d: SegmentDimension, s: string) =>
    t === 0 ? !plan.respondentsHidden(d, s) : !plan.ratersHidden(tables[t] as string, d, s);
  const sum = (t: number, d: SegmentDimension, s: string) => {
    const terms = columns.flatMap((c, p) => (c.profile[d] === s ? [name(t, p)] : []));
    return terms.length > 0 ? terms.join(' + ') : null;
  };
  let row = 0;
  tables.forEach((table, t) => {
    const n = t === 0 ? total : [...(countsOf(t, 'school')?.values() ?? [])].reduce((a, b) => a + b, 0);
    lines.push(` r${row++}: ${columns.map((_, p) => name(t, p)).join(' + ')} = ${n}`);
    for (const d of DIMENSIONS) {
      for (const s of published.segments.get(d) ?? []) {
        if (!isShown(t, d, s)) continue;
        const terms = sum(t, d, s);
        const value = countsOf(t, d)?.get(s) ?? 0;
        // A shown figure that no roster profile can make is the roster's mistake, not a lead.
        if (terms) lines.push(` r${row++}: ${terms} = ${value}`);
      }
    }
    if (table !== '')
      for (let p = 0; p < columns.length; p++) lines.push(` r${row++}: ${name(t, p)} - ${name(0, p)} <= 0`);
  });
  const bounds = tables.flatMap((_, t) => columns.map((c, p) => ` 0 <= ${name(t, p)} <= ${c.staff}`));
  const range = (t: number, d: SegmentDimension, s: string) => {
    const terms = sum(t, d, s);
    if (!terms) return [0, 0];
    return (['Minimize', 'Maximize'] as const).map((sense) => {
      const text = [sense, ` obj: ${terms}`, 'Subject To', ...lines, 'Bounds', ...bounds, 'End'].join('\n');
      const result = highs.solve(text, { output_flag: false });
      if (result.Status !== 'Optimal') throw new Error(`attacker's LP: ${result.Status}`);
      return result.ObjectiveValue;
    }) as [number, number];
  };
  const pins: Pin[] = [];
  tables.forEach((table, t) => {
    for (const d of DIMENSIONS) {
      for (const s of published.segments.get(d) ?? []) {
        if (isShown(t, d, s)) continue;
        const [low, high] = range(t, d, s);
        const lowest = Math.ceil((low as number) - 1e-6);
        if (lowest === Math.floor((high as number) + 1e-6))
          pins.push({ table, dimension: d, segment: s, value: lowest });
      }
    }
  });
  return pins;
}

/**
 * The pins that tell something: a count of at least one person pinned down, other than
 * "all the roster's staff of that segment", which a published total equal to the roster's
 * says whatever is hidden (everyone answered; see AuditReport.everyoneAnswered).
 */
const disclosing = (pins: Pin[], roster: RosterProfile[]) =>
  pins.filter(
    (pin) =>
      pin.value > 0 &&
      // Anyone may leave a dimension out, so "not stated" could hold the whole roster.
      pin.value !==
        roster.reduce(
          (sum, staff) => sum + (pin.segment === '' || staff[pin.dimension] === pin.segment ? staff.staff : 0),
          0,
        ),
  );

const profile = (school: string, role: string, subject = 'y'): Profile => ({
  school,
  role,
  careerStage: 'x',
  subject,
  gradeBand: 'z',
});

/**
 * The case: k = 5. School a has 3 respondents (hidden by the k rule); school b, 6
 * (the smallest shown, so hidden as a's complement), all specialists, a role no other
 * school has; c and d have 20 and 25 teachers. By role the table would show specialists
 * = 6 = b, and 54 − c − d − b = 3 = a.
 */
function oneRoleSchool(): Campaign {
  const respondents: Campaign['respondents'] = [];
  const answer = (school: string, role: string, n: number) => {
    for (let i = 0; i < n; i++) respondents.push({ profile: profile(school, role), rated: ['c1'] });
  };
  answer('a', 'teacher', 3);
  answer('b', 'specialist', 6);
  answer('c', 'teacher', 20);
  answer('d', 'teacher', 25);
  return {
    k: 5,
    lists: {
      school: ['a', 'b', 'c', 'd'],
      role: ['teacher', 'specialist'],
      careerStage: ['x'],
      subject: ['y'],
      gradeBand: ['z'],
    },
    roster: [
      { ...profile('a', 'teacher'), staff: 10 },
      { ...profile('b', 'specialist'), staff: 8 },
      { ...profile('c', 'teacher'), staff: 30 },
      { ...profile('d', 'teacher'), staff: 30 },
    ],
    respondents,
    competencies: ['c1'],
  };
}

describe('the one-role school (issue 12)', () => {
  it('the rules within tables alone leak it: the control that proves the attacker can succeed', () => {
    const campaign = oneRoleSchool();
    const { published } = publish(campaign);
    const plan = withinTablePlan(published);
    // By school: a (3) hidden, b (6) hidden as its complement; by role both roles shown.
    expect(plan.respondentsHidden('school', 'a')).toBe(true);
    expect(plan.respondentsHidden('school', 'b')).toBe(true);
    expect(plan.respondentsHidden('role', 'specialist')).toBe(false);
    const pins = disclosing(attack(plan, published, campaign.roster), campaign.roster);
    // b = specialists = 6, then a = 54 − 20 − 25 − 6 = 3, in the respondents' table and c1's alike.
    expect(pins).toEqual(
      expect.arrayContaining([
        { table: '', dimension: 'school', segment: 'a', value: 3 },
        { table: '', dimension: 'school', segment: 'b', value: 6 },
        { table: 'c1', dimension: 'school', segment: 'a', value: 3 },
        { table: 'c1', dimension: 'school', segment: 'b', value: 6 },
      ]),
    );
  });

  it('the audit hides the role as well, and the attacker pins nothing', () => {
    const campaign = oneRoleSchool();
    const { published, truth } = publish(campaign);
    const plan = disclosurePlan(published, campaign.roster, truth, highs);
    expect(plan.respondentsHidden('school', 'a')).toBe(true);
    expect(plan.respondentsHidden('school', 'b')).toBe(true);
    expect(plan.respondentsHidden('role', 'specialist')).toBe(true);
    expect(plan.ratersHidden('c1', 'role', 'specialist')).toBe(true);
    // The specialists alone hidden would be 54 − teachers: rule 2 hides teachers too.
    expect(plan.respondentsHidden('role', 'teacher')).toBe(true);
    // c and d stay shown, and so does the one career stage everyone is in (54 people).
    expect(plan.respondentsHidden('school', 'c')).toBe(false);
    expect(plan.respondentsHidden('school', 'd')).toBe(false);
    expect(plan.respondentsHidden('careerStage', 'x')).toBe(false);
    expect(plan.audit.pinned).toBe(0);
    expect(disclosing(attack(plan, published, campaign.roster), campaign.roster)).toEqual([]);
  });

  it('every segment a dimension knows is answered, the empty ones hidden like small ones', () => {
    const campaign = oneRoleSchool();
    const { published, truth } = publish(campaign);
    const plan = disclosurePlan(published, campaign.roster, truth, highs);
    // Nobody left their school out, nobody is outside the four: "not stated" is hidden, not missing.
    expect(plan.respondentsHidden('school', '')).toBe(true);
    expect(plan.ratersHidden('c1', 'school', '')).toBe(true);
    expect(plan.respondentsHidden('school', 'not-a-school')).toBe(true);
  });

  it('a figure the truth does not add up to hides every segment (the reads disagreed)', () => {
    const campaign = oneRoleSchool();
    const { published, truth } = publish(campaign);
    const plan = disclosurePlan(published, campaign.roster, truth.slice(1), highs);
    expect(plan.audit.inconsistent).toBe(true);
    for (const school of ['a', 'b', 'c', 'd']) expect(plan.respondentsHidden('school', school)).toBe(true);
  });
});

/** Random small districts: 2–6 schools, 2–4 roles, 5–60 respondents drawn from the roster. */
const districts = fc
  .record({
    schools: fc.integer({ min: 2, max: 6 }),
    roles: fc.integer({ min: 2, max: 4 }),
    k: fc.constantFrom(3, 5),
    seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    respondents: fc.integer({ min: 5, max: 60 }),
  })
  .map(({ schools, roles, k, seed, respondents }): Campaign => {
    let state = seed;
    const next = () => {
      state = (state * 48271) % 2147483647;
      return state / 2147483647;
    };
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
    const schoolIds = Array.from({ length: schools }, (_, i) => `s${i}`);
    const roleIds = Array.from({ length: roles }, (_, i) => `r${i}`);
    const stages = ['early', 'veteran'];
    const subjects = ['math', 'ela'];
    const people: Profile[] = [];
    for (const school of schoolIds) {
      // Some schools have one role only, some roles one school only: the structure the audit is for.
      const own = next() < 0.3 ? [pick(roleIds)] : roleIds.filter(() => next() < 0.7);
      const size = 1 + Math.floor(next() * 15);
      for (let i = 0; i < size; i++) {
        people.push({
          school,
          role: pick(own.length > 0 ? own : roleIds),
          careerStage: pick(stages),
          subject: pick(subjects),
          gradeBand: 'all',
        });
      }
    }
    const roster = new Map<string, RosterProfile>();
    for (const person of people) {
      const found = roster.get(key(person));
      if (found) found.staff++;
      else roster.set(key(person), { ...person, staff: 1 });
    }
    // Respondents are distinct staff, some leaving their subject out.
    const shuffled = people.map((person) => ({ person, order: next() })).sort((a, b) => a.order - b.order);
    const answered = shuffled.slice(0, Math.min(respondents, people.length)).map(({ person }) => ({
      profile: next() < 0.1 ? { ...person, subject: '' } : person,
      rated: ['c1', 'c2'].filter(() => next() < 0.9),
    }));
    return {
      k,
      lists: { school: schoolIds, role: roleIds, careerStage: stages, subject: subjects, gradeBand: ['all'] },
      roster: [...roster.values()],
      respondents: answered,
      competencies: ['c1', 'c2'],
    };
  });

describe('random small districts', () => {
  it('the attacker pins no occupied hidden cell in 100 seeded campaigns', () => {
    let leaksWithoutAudit = 0;
    fc.assert(
      fc.property(districts, (campaign) => {
        const { published, truth } = publish(campaign);
        const plan = disclosurePlan(published, campaign.roster, truth, highs);
        expect(plan.audit.pinned).toBe(0);
        expect(disclosing(attack(plan, published, campaign.roster), campaign.roster)).toEqual([]);
        if (disclosing(attack(withinTablePlan(published), published, campaign.roster), campaign.roster).length > 0)
          leaksWithoutAudit++;
      }),
      { numRuns: 100, seed: 20261203 },
    );
    // The random districts do carry the structure: without the audit some of them leak.
    expect(leaksWithoutAudit).toBeGreaterThan(0);
  }, 120_000);
});
