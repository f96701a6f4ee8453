import { describe, expect, it } from 'vitest';
import { assignCoaches, checkGroupLeads, chooseChampion } from '../../src/domain/pilot-roles';

describe('chooseChampion', () => {
  const nominations = new Map([
    ['T2', 3],
    ['T5', 7],
    ['T9', 7],
  ]);
  const aspiring = new Map([
    ['T1', ['Mentor']],
    ['T4', []],
  ]);

  it.each([
    [['T1', 'T2', 'T3'], 'T2', /named by 3 colleagues/],
    // The most nominated influencer, then the smaller staff id among equals.
    [['T2', 'T5', 'T9'], 'T5', /named by 7 colleagues/],
    // An influencer comes before an aspiring leader.
    [['T1', 'T9'], 'T9', /named by 7 colleagues/],
    [['T3', 'T1'], 'T1', /leadership role \(Mentor\)/],
    [['T4'], 'T4', /^Asked to take on a leadership role\.$/],
    [['T3', 'T6'], null, /No member is a peer influencer/],
  ])('among %j picks %s', (members, champion, reason) => {
    const chosen = chooseChampion(members, nominations, aspiring);
    expect(chosen.champion).toBe(champion);
    expect(chosen.reason).toMatch(reason);
  });
});

describe('assignCoaches', () => {
  const coaches = [
    { staffId: 'C2', name: 'Coach Two', focuses: ['fa'] },
    { staffId: 'C1', name: 'Coach One', focuses: ['fa', 'ai'] },
    { staffId: 'M1', name: 'Also a member', focuses: ['ai'] },
  ];
  const group = (competencyId: string, size: number, extra: string[] = []) => ({
    competencyId,
    focusName: competencyId.toUpperCase(),
    members: [...Array.from({ length: size }, (_, i) => `${competencyId}-${i}`), ...extra],
  });

  it('gives each group the coach with the most room, ties to the smaller staff id, within the capacity in all', () => {
    // fa (6): C1 and C2 both have 8 free, so C1. ai (4 with M1): C1 has 2 left, C2 does not coach ai, M1 is a member.
    const result = assignCoaches([group('fa', 6), group('ai', 3, ['M1'])], coaches, 8);
    expect(result.map((r) => r.coach)).toEqual(['C1', null]);
    expect(result[0]?.reason).toBe('Coaches FA; with this group supports 6 of at most 8 teachers.');
    expect(result[1]?.reason).toBe('Every coach for AI would support more than 8 teachers with this group.');
  });

  it('moves on to the next coach when the first is full', () => {
    const result = assignCoaches([group('fa', 5), group('fa', 5)], coaches, 8);
    expect(result.map((r) => r.coach)).toEqual(['C1', 'C2']);
  });

  it('says so when nobody coaches the focus', () => {
    const [only] = assignCoaches([group('cm', 6)], coaches, 8);
    expect(only).toEqual({ coach: null, reason: 'No coach on the roster lists CM outside the pilot groups.' });
  });
});

describe('checkGroupLeads', () => {
  const coaches = [
    { staffId: 'C1', name: 'Coach One', focuses: ['fa'] },
    { staffId: 'M1', name: 'Member One', focuses: ['fa'] },
  ];
  const names = new Map([
    ['C1', 'Coach One'],
    ['M1', 'Member One'],
    ['T1', 'Teacher One'],
  ]);
  const nameOf = (id: string) => names.get(id) ?? id;
  const group = (champion: string | null, coach: string | null, members = ['M1', 'T1']) => ({
    competencyId: 'fa',
    focusName: 'FA',
    members,
    champion,
    coach,
  });

  it('accepts a member as champion and a rostered coach for the focus, outside the groups, with room', () => {
    expect(checkGroupLeads([group('T1', 'C1')], coaches, 8, nameOf)).toEqual([]);
  });

  it('names every rule a champion or coach breaks, the ones the proposal keeps', () => {
    expect(
      checkGroupLeads(
        [group('C1', 'T1'), { ...group(null, 'M1'), competencyId: 'ai', focusName: 'AI' }, group(null, 'M1')],
        coaches,
        1,
        nameOf,
      ),
    ).toEqual([
      'The champion of the FA group must be one of its members.',
      'Teacher One is not a coach for FA on the roster.',
      'Member One is not a coach for AI on the roster.',
      'Member One cannot coach a pilot group while a member of one.',
      // Loads count every group a coach is named for, in all.
      'Teacher One would support 2 teachers; a coach supports at most 1.',
      'Member One would support 4 teachers; a coach supports at most 1.',
    ]);
  });
});
