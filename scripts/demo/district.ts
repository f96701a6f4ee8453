/**
 * The demo district: a deterministic generator (fixed seed) of about 1,000 staff in 12
 * schools and a closed fall campaign whose answers carry real structure, so every page
 * has something true to show on first start:
 * - district-wide need: formative assessment and AI literacy rate important but weak;
 * - need in particular places: multilingual learners at three schools with many
 *   newcomers, data-driven instruction at the middle schools, classroom management
 *   among early-career staff;
 * - volunteers for pilots, coaches with focuses, self-nominated aspiring leaders, and
 *   peer nominations that cluster on a few trusted colleagues per school.
 * Plus an open anonymous spring campaign for a newcomer to answer.
 */
import type { Role } from '../../worker/src/auth/roles';
import type { School, StaffMember } from '../../worker/src/db/roster';
import type { Answers } from '../../worker/src/domain/answers';
import { competencies } from '../../worker/src/domain/framework';
import { mulberry32 } from '../../worker/src/domain/random';

export const DEMO_SEED = 20260908;
export const FALL_CAMPAIGN_ID = 'demo-fall-2026';
export const SPRING_CAMPAIGN_ID = 'demo-spring-2027';

/** Who can sign in to the demo (links print in the terminal of `npm start`). */
export const DEMO_ACCOUNTS: Array<{ email: string; name: string; roles: Role[] }> = [
  { email: 'admin@district.example', name: 'Demo Admin', roles: ['admin'] },
  { email: 'director@district.example', name: 'Demo Director', roles: ['director'] },
  { email: 'facilitator@district.example', name: 'Demo Facilitator', roles: ['facilitator'] },
];

export interface DemoCampaign {
  id: string;
  surveyId: string;
  title: string;
  mode: 'anonymous' | 'identified';
  minGroupSize: number;
  closesAt: string | null;
  closedAt: string | null;
  createdAt: string;
}

export interface DemoResponse {
  id: string;
  campaignId: string;
  idempotencyKey: string;
  staffId: string;
  answers: Answers;
  submittedAt: string;
}

export interface DemoDistrict {
  schools: School[];
  staff: StaffMember[];
  campaigns: DemoCampaign[];
  responses: DemoResponse[];
}

/** Seeded draws (mulberry32): the same district on every run and platform. */
function prng(seed: number) {
  const next = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const weighted = <T extends string>(weights: Record<T, number>): T => {
    const entries = Object.entries(weights) as Array<[T, number]>;
    let roll = next() * entries.reduce((sum, [, weight]) => sum + weight, 0);
    for (const [value, weight] of entries) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return (entries.at(-1) as [T, number])[0];
  };
  /** Standard normal, Box–Muller. */
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const uuid = () => {
    const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16));
    hex[12] = '4';
    hex[16] = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
    const s = hex.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  };
  return { next, pick, weighted, normal, uuid };
}

type Level = 'elementary' | 'middle' | 'high';
const SCHOOLS: Array<{ id: string; name: string; level: Level; staff: number; responseRate: number }> = [
  { id: 'alder-creek-elementary', name: 'Alder Creek Elementary', level: 'elementary', staff: 68, responseRate: 0.86 },
  { id: 'birchwood-elementary', name: 'Birchwood Elementary', level: 'elementary', staff: 64, responseRate: 0.74 },
  { id: 'cedar-hollow-elementary', name: 'Cedar Hollow Elementary', level: 'elementary', staff: 70, responseRate: 0.9 },
  { id: 'dogwood-elementary', name: 'Dogwood Elementary', level: 'elementary', staff: 72, responseRate: 0.81 },
  { id: 'elm-park-elementary', name: 'Elm Park Elementary', level: 'elementary', staff: 66, responseRate: 0.62 },
  { id: 'fern-valley-elementary', name: 'Fern Valley Elementary', level: 'elementary', staff: 69, responseRate: 0.78 },
  { id: 'garfield-elementary', name: 'Garfield Elementary', level: 'elementary', staff: 67, responseRate: 0.84 },
  { id: 'harbor-view-middle', name: 'Harbor View Middle School', level: 'middle', staff: 96, responseRate: 0.71 },
  { id: 'ironwood-middle', name: 'Ironwood Middle School', level: 'middle', staff: 92, responseRate: 0.79 },
  { id: 'juniper-middle', name: 'Juniper Middle School', level: 'middle', staff: 97, responseRate: 0.66 },
  { id: 'kingsley-high', name: 'Kingsley High School', level: 'high', staff: 118, responseRate: 0.69 },
  { id: 'lakeside-high', name: 'Lakeside High School', level: 'high', staff: 122, responseRate: 0.77 },
];

/** Schools whose enrolment has grown fastest among newcomer multilingual students. */
const MULTILINGUAL_SCHOOLS = new Set(['dogwood-elementary', 'harbor-view-middle', 'lakeside-high']);

const FIRST_NAMES = [
  'Aaliyah',
  'Abdi',
  'Alejandro',
  'Amara',
  'Ana',
  'Andre',
  'Beatriz',
  'Ben',
  'Carmen',
  'Chen',
  'Claire',
  'Daniel',
  'Deja',
  'Diego',
  'Elena',
  'Emeka',
  'Emily',
  'Farah',
  'Gabriel',
  'Grace',
  'Hannah',
  'Hiro',
  'Imani',
  'Isaac',
  'Jada',
  'James',
  'Jasmine',
  'Jorge',
  'Kai',
  'Kayla',
  'Kwame',
  'Laura',
  'Leah',
  'Luis',
  'Maya',
  'Mei',
  'Michael',
  'Nadia',
  'Noah',
  'Olivia',
  'Omar',
  'Priya',
  'Rachel',
  'Rosa',
  'Sam',
  'Sara',
  'Tariq',
  'Tessa',
  'Thomas',
  'Valeria',
  'Wei',
  'Yusuf',
  'Zoe',
];
const LAST_NAMES = [
  'Adams',
  'Ahmed',
  'Alvarez',
  'Baker',
  'Banks',
  'Brooks',
  'Campbell',
  'Castillo',
  'Chavez',
  'Cohen',
  'Diaz',
  'Edwards',
  'Evans',
  'Flores',
  'Foster',
  'Garcia',
  'Gomez',
  'Gupta',
  'Hall',
  'Hughes',
  'Jackson',
  'Johnson',
  'Kim',
  'Lee',
  'Lopez',
  'Martin',
  'Mendoza',
  'Mitchell',
  'Nguyen',
  'Okafor',
  'Ortiz',
  'Patel',
  'Perez',
  'Reed',
  'Rivera',
  'Robinson',
  'Sanchez',
  'Shah',
  'Singh',
  'Soto',
  'Tran',
  'Turner',
  'Walker',
  'Washington',
  'Williams',
  'Wright',
  'Yang',
  'Young',
];

const SUBJECTS_BY_LEVEL: Record<Level, Record<string, number>> = {
  elementary: { 'multiple-subjects': 10, arts: 1, 'physical-education-health': 1, 'english-language-development': 1 },
  middle: {
    ela: 3,
    math: 3,
    science: 2,
    'social-studies': 2,
    'world-languages': 1,
    arts: 1,
    'physical-education-health': 1,
    'english-language-development': 1,
  },
  high: {
    ela: 3,
    math: 3,
    science: 3,
    'social-studies': 2,
    'world-languages': 1,
    arts: 1,
    'physical-education-health': 1,
    'career-technical': 2,
    'english-language-development': 1,
  },
};

/** District-wide mean importance and proficiency, before the adjustments below. */
const BASELINE: Record<string, [number, number]> = {
  'standards-aligned-planning': [4.0, 3.9],
  'differentiated-instruction': [4.3, 3.1],
  'literacy-across-content': [3.8, 3.3],
  'formative-assessment': [4.6, 2.6],
  'data-driven-instruction': [3.9, 3.2],
  'grading-feedback': [3.6, 3.4],
  'classroom-management': [4.1, 3.8],
  'social-emotional-learning': [4.0, 3.3],
  'student-engagement': [4.2, 3.6],
  'culturally-responsive-teaching': [3.9, 3.1],
  'supporting-multilingual-learners': [3.3, 3.0],
  'inclusive-practices-sped': [3.9, 3.2],
  'collaborative-inquiry-plc': [3.5, 3.4],
  'family-engagement': [3.6, 3.5],
  'instructional-technology': [3.7, 3.6],
  'ai-literacy': [3.9, 1.9],
};

const COMMENTS = [
  'I would rather learn from colleagues in my building than sit through another outside speaker.',
  'Time to practise with feedback matters more to me than new materials.',
  'Please schedule sessions during the school day, not after a full day of teaching.',
  'Our newcomer students need more support than I know how to give.',
  'I want to see a strategy modelled in a real classroom before I try it.',
  'A coach who visits my room more than once would help most.',
  'The AI tools are changing faster than our guidance about them.',
  'Paraprofessionals are rarely included in professional learning; we would like to be.',
  'Release days only help if someone covers my class with real plans, not a video.',
  'I learned more from one afternoon watching a colleague teach than from a whole conference.',
  'Give us the same training as the new hires; some of us never had it.',
  'Half of what we are asked to try is gone by spring. Pick fewer things and stay with them.',
  'Grading feedback takes my whole weekend. Any help with that would change my year.',
  'Please let teachers choose between two or three sessions instead of one for everyone.',
  'Our PLC time turns into announcements. Protect it for looking at student work.',
  'I would like help talking with families who do not speak English at home.',
  'Online modules are fine for policy, but not for anything I need to practise.',
  'Special education staff need time with general education teachers, not separate trainings.',
  'More on behaviour in the first weeks of school, before habits set.',
  'Show us how the data dashboards connect to what we do on Monday.',
  'I am ready to mentor someone, but nobody has asked and there is no time in the schedule for it.',
  'The survey was long, but thank you for asking before planning the year.',
  'Counselors and nurses see the same students; include us when you plan wellbeing sessions.',
  'Middle school needs its own sessions; the elementary examples rarely fit our classes.',
];

const clampRating = (value: number) => Math.min(5, Math.max(1, Math.round(value)));

export function generateDemoDistrict(seed = DEMO_SEED): DemoDistrict {
  const random = prng(seed);
  const schools: School[] = SCHOOLS.map(({ id, name }) => ({ id, name }));
  const staff: StaffMember[] = [];
  const usedNames = new Set<string>();
  const levelOf = new Map(SCHOOLS.map((school) => [school.id, school.level]));

  for (const school of SCHOOLS) {
    for (let i = 0; i < school.staff; i++) {
      let name = '';
      do name = `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
      while (usedNames.has(name));
      usedNames.add(name);
      const role =
        i < 2
          ? 'school-administrator'
          : i === 2
            ? 'instructional-coach'
            : random.weighted({
                'classroom-teacher': 72,
                'special-education-teacher': 8,
                'specialist-interventionist': 5,
                'counselor-student-support': 4,
                'librarian-media': 1,
                paraprofessional: 8,
                'instructional-coach': 1,
              });
      const careerStage =
        role === 'school-administrator'
          ? 'administrator'
          : role === 'instructional-coach'
            ? 'teacher-leader'
            : role === 'paraprofessional'
              ? random.weighted({ 'aspiring-teacher': 3, 'early-career': 3, established: 2, veteran: 2 })
              : random.weighted({
                  'early-career': 22,
                  established: 33,
                  veteran: 35,
                  'teacher-leader': 6,
                  'aspiring-administrator': 3,
                });
      const subject =
        role === 'special-education-teacher'
          ? 'special-education'
          : role === 'classroom-teacher' || role === 'paraprofessional'
            ? random.weighted(SUBJECTS_BY_LEVEL[school.level])
            : 'not-applicable';
      const isCoach = role === 'instructional-coach' || (careerStage === 'teacher-leader' && random.next() < 0.5);
      const coachFocuses = isCoach
        ? [...new Set([random.pick(competencies).id, random.pick(competencies).id, 'formative-assessment'])]
        : [];
      const number = String(staff.length + 1).padStart(4, '0');
      staff.push({
        staffId: `S${number}`,
        name,
        email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}${number}@demo-district.example.org`,
        schoolId: school.id,
        role,
        careerStage,
        subject,
        gradeBand: school.level,
        isCoach,
        coachFocuses,
      });
    }
  }

  // A few colleagues per school that others go to for advice.
  const trusted = new Map<string, string[]>();
  for (const school of SCHOOLS) {
    const teachers = staff.filter((m) => m.schoolId === school.id && m.role === 'classroom-teacher');
    trusted.set(school.id, [
      random.pick(teachers).staffId,
      random.pick(teachers).staffId,
      random.pick(teachers).staffId,
    ]);
  }

  const campaigns: DemoCampaign[] = [
    {
      id: FALL_CAMPAIGN_ID,
      surveyId: 'needs-assessment',
      title: 'Fall 2026 professional learning needs survey',
      mode: 'identified',
      minGroupSize: 5,
      closesAt: '2026-10-09T23:59:00.000Z',
      closedAt: '2026-10-09T23:59:00.000Z',
      createdAt: '2026-09-08T14:00:00.000Z',
    },
    {
      id: SPRING_CAMPAIGN_ID,
      surveyId: 'needs-assessment',
      title: 'Spring 2027 professional learning needs survey',
      mode: 'anonymous',
      minGroupSize: 5,
      closesAt: null,
      closedAt: null,
      createdAt: '2026-11-16T14:00:00.000Z',
    },
  ];

  const responses: DemoResponse[] = [];
  const fallStart = Date.parse('2026-09-08T15:00:00Z');
  for (const member of staff) {
    const school = SCHOOLS.find((s) => s.id === member.schoolId);
    if (!school || random.next() > school.responseRate) continue;
    const level = levelOf.get(school.id);
    const ratings: NonNullable<Answers['ratings']> = {};
    for (const competency of competencies) {
      if (random.next() < 0.04) continue; // skipped
      let [importance, proficiency] = BASELINE[competency.id] ?? [3.5, 3.5];
      if (competency.id === 'supporting-multilingual-learners' && MULTILINGUAL_SCHOOLS.has(school.id)) {
        importance = 4.7;
        proficiency = 2.1;
      }
      if (competency.id === 'data-driven-instruction' && level === 'middle') {
        importance = 4.5;
        proficiency = 2.5;
      }
      if (competency.id === 'classroom-management' && member.careerStage === 'early-career') {
        importance = 4.8;
        proficiency = 2.3;
      }
      if (member.careerStage === 'veteran') proficiency += 0.3;
      ratings[competency.id] = {
        importance: clampRating(importance + 0.7 * random.normal()),
        proficiency: clampRating(proficiency + 0.8 * random.normal()),
      };
    }
    const interests = Object.entries(ratings)
      .filter(([, r]) => (r.importance - r.proficiency >= 2 && random.next() < 0.7) || random.next() < 0.04)
      .map(([id]) => id)
      .slice(0, 5);
    const strategyWeights: Record<string, number> = {
      coaching: 6,
      'plc-inquiry-cycle': 4,
      'peer-observation': 5,
      workshop: 2,
      mentoring: member.careerStage === 'early-career' ? 8 : 2,
      'online-course': 2,
      'external-expert': 1,
      'cross-district-collaboration': 2,
    };
    const strategies: string[] = [];
    const wanted = 2 + Math.floor(random.next() * 3);
    while (strategies.length < wanted) {
      const choice = random.weighted(strategyWeights);
      if (!strategies.includes(choice)) strategies.push(choice);
    }
    const answers: Answers = {
      school: member.schoolId ?? undefined,
      role: member.role,
      careerStage: member.careerStage ?? undefined,
      subject: member.subject ?? undefined,
      gradeBand: member.gradeBand ?? undefined,
      ratings,
      ...(interests.length > 0 ? { interests } : {}),
      strategies,
    };
    const aspiring =
      member.careerStage === 'teacher-leader' || member.careerStage === 'aspiring-administrator' || random.next() < 0.1;
    if (aspiring && member.role !== 'school-administrator') {
      answers.leadershipInterest =
        member.careerStage === 'aspiring-administrator'
          ? ['assistant-principal', 'principal']
          : [random.pick(['mentor', 'plc-facilitator', 'instructional-coach', 'department-lead'])];
      answers.selfNominate = random.next() < 0.55;
    }
    const colleagues = staff.filter((m) => m.schoolId === member.schoolId && m.staffId !== member.staffId);
    const nominations = new Set<string>();
    const wantedNominations = Math.floor(random.next() * 4);
    for (let i = 0; i < wantedNominations; i++) {
      const pool = (trusted.get(school.id) ?? []).filter((id) => id !== member.staffId);
      nominations.add(random.next() < 0.65 && pool.length > 0 ? random.pick(pool) : random.pick(colleagues).staffId);
    }
    if (nominations.size > 0) answers.peerNominations = [...nominations];
    answers.pilotWilling = random.next() < 0.24;
    answers.contactConsent = answers.pilotWilling ? random.next() < 0.92 : random.next() < 0.3;
    if (random.next() < 0.18) answers.comment = random.pick(COMMENTS);
    responses.push({
      id: random.uuid(),
      campaignId: FALL_CAMPAIGN_ID,
      idempotencyKey: random.uuid(),
      staffId: member.staffId,
      answers,
      submittedAt: new Date(fallStart + Math.floor(random.next() * 30 * 86_400_000)).toISOString(),
    });
  }
  return { schools, staff, campaigns, responses };
}
