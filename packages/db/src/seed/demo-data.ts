/**
 * What the demo workspace contains, as data: the district and schools, the people and their
 * roles, and the content of each document (evidence, team ratings, each rater's blind ratings,
 * the plan). demo.ts turns it into rows and Yjs updates. Ids are fixed, so the seed can tell that
 * it already ran, and two demo databases agree.
 *
 * The raters' District Conditions ratings are chosen so that every kind of agreement appears:
 * unanimous, adjacent (within one level), one outlier, a split group and a spread of 2+ levels
 * (rubric-core's flags; the seed tests check each).
 */
import type { MembershipRole, Represents } from '../schema/enums.js';

/** A fixed UUID in the demo's own range (de000000-…), `n` distinguishing the rows. */
export function demoId(n: number): string {
  return `de000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** Accepted by @concord/auth's passwordProblem; printed with the sign-ins. */
export const DEMO_PASSWORD = 'concord-demo-2026';

export const DEMO_DISTRICT = {
  id: demoId(0x101),
  name: 'Revere Public Schools (demo)',
  state: 'MA',
};

export const DEMO_SCHOOLS = {
  harborview: { id: demoId(0x201), name: 'Harborview Elementary School' },
  shirley: { id: demoId(0x202), name: 'Shirley Avenue Middle School' },
} as const;

export const DEMO_WORKSPACE = {
  id: demoId(0x401),
  name: 'Revere Public Schools — PL readiness 2026-27',
  schoolYear: '2026-27',
};

export interface DemoPerson {
  key: string;
  id: string;
  email: string;
  name: string;
  role: MembershipRole;
  represents: Represents | null;
  schoolId: string | null;
  /** Yjs client id of this person's edits, so history shows one client per person. */
  clientId: number;
}

function person(
  n: number,
  key: string,
  email: string,
  name: string,
  role: MembershipRole,
  represents: Represents | null = null,
  schoolId: string | null = null,
): DemoPerson {
  return {
    key,
    id: demoId(0x300 + n),
    email: `${email}@demo.concord.test`,
    name,
    role,
    represents,
    schoolId,
    clientId: 0xde00 + n,
  };
}

export const PEOPLE = {
  owner: person(1, 'owner', 'owner', 'Morgan Ellis', 'owner'),
  facilitator: person(2, 'facilitator', 'facilitator', 'Priya Raman', 'facilitator'),
  district: person(3, 'district', 'district.rater', 'Luis Ortega', 'rater', 'district'),
  district2: person(4, 'district2', 'district.rater2', 'Grace Chen', 'rater', 'district'),
  harborview: person(
    5,
    'harborview',
    'harborview.rater',
    'Aisha Mensah',
    'rater',
    'school',
    DEMO_SCHOOLS.harborview.id,
  ),
  shirley: person(
    6,
    'shirley',
    'shirley.rater',
    'Tom Brennan',
    'rater',
    'school',
    DEMO_SCHOOLS.shirley.id,
  ),
  leadership: person(7, 'leadership', 'leadership', 'Dr. Renee Walsh', 'viewer'),
} as const;

export type PersonKey = keyof typeof PEOPLE;

/** The four raters of the District Conditions assessment, in the column order of DC_RATINGS. */
export const RATERS = [
  'district',
  'district2',
  'harborview',
  'shirley',
] as const satisfies readonly PersonKey[];

export const DOCUMENT_IDS = {
  prerequisites: demoId(0x501),
  assessment: demoId(0x502),
  plan: demoId(0x503),
  planComments: demoId(0x504),
  /** District Conditions ratings documents: 0x510 + the rater's position in RATERS. */
  ratings: (i: number) => demoId(0x510 + i),
  /** Prerequisites ratings documents: 0x520 + the rater's position in RATERS. */
  prerequisiteRatings: (i: number) => demoId(0x520 + i),
};

/** When things happened in the demo's story (the first planning meetings of the year). */
export const AT = {
  kickoff: '2026-09-02T14:00:00Z',
  /** The facilitator opens the Prerequisites round; the raters rate on their own that week. */
  prerequisitesRound: '2026-09-09T14:00:00Z',
  /** The facilitator reveals it at the team meeting, then the team decides category by category. */
  prerequisitesReveal: '2026-09-16T19:00:00Z',
  prerequisites: '2026-09-16T20:00:00Z',
  rating: '2026-09-23T19:00:00Z',
  plan: '2026-09-30T20:00:00Z',
  comment: '2026-10-01T13:15:00Z',
};

export const PREREQUISITES = {
  /**
   * Each rater's blind ratings of the eight categories, columns in RATERS order (null = not
   * rated; 1 Barrier, 2 Sufficient, 3 Asset), rated in round 1 and revealed at the team meeting.
   * The team's decisions below follow the discussion: funding a Barrier for three of four,
   * community outreach spread from Barrier to Asset (still in discussion), policy split.
   */
  ratings: {
    'pre.innovation': [2, 2, 3, 2],
    'pre.research': [2, 1, 2, 2],
    'pre.leadership': [3, 3, 3, 2],
    'pre.community': [2, 3, 1, 2],
    'pre.policy': [2, 1, 1, 2],
    'pre.funding': [1, 1, 2, 1],
    'pre.technology': [2, 3, 2, 2],
    'pre.launch-plan': [2, 2, null, 1],
  } as Record<string, readonly (number | null)[]>,
  /** Team ratings recorded by the facilitator after discussion (1 Barrier, 2 Sufficient, 3 Asset). */
  teamRatings: {
    'pre.innovation': 2,
    'pre.research': 2,
    'pre.leadership': 3,
    'pre.funding': 1,
    'pre.technology': 2,
  } as Record<string, number>,
  inDiscussion: ['pre.community'],
  rationale: {
    'pre.funding':
      'Year 1 coaching is funded, but nothing is budgeted beyond June 2027: a Barrier until the FY28 budget has a line for it.',
  } as Record<string, string>,
  evidence: [
    {
      by: 'district',
      id: 'pre.funding',
      text: 'Title IV-A and a state PL grant cover Year 1 coaching; no line item for Year 2 onward yet.',
    },
    {
      by: 'district2',
      id: 'pre.leadership',
      text: "Superintendent's cabinet endorsed the PL initiative (June 2026 minutes).",
    },
    {
      by: 'shirley',
      id: 'pre.technology',
      text: '1:1 Chromebooks in grades 3-12; LMS pilot at Harborview only.',
    },
    {
      by: 'harborview',
      id: 'pre.community',
      text: 'Two family forums held in August; Spanish and Portuguese interpretation provided.',
    },
  ] satisfies { by: PersonKey; id: string; text: string }[],
};

/**
 * Each rater's District Conditions ratings, columns in RATERS order (null = not rated):
 * U unanimous, A adjacent, O one outlier, S split, W spread of 2+ levels.
 */
export const DC_RATINGS: Record<string, readonly (number | null)[]> = {
  'dc.1.1': [3, 3, 3, 3], // U
  'dc.1.2': [3, 3, 2, 3], // A
  'dc.1.4': [2, 2, 2, 2], // U
  'dc.1.5': [3, 2, 3, 2], // S
  'dc.1.6': [3, 3, 3, 1], // O
  'dc.1.7': [2, 3, 2, 2], // A
  'dc.2.1': [4, 3, 2, 1], // W
  'dc.2.2': [3, 3, 3, 3], // U
  'dc.2.3': [2, 2, 3, 3], // S
  'dc.2.4': [2, 3, 3, 3], // A
  'dc.3.1': [3, 3, 3, 3], // U
  'dc.3.2': [2, 2, 2, 3], // A
  'dc.3.3': [1, 3, 3, 3], // O
  'dc.3.4': [2, 2, 2, 2], // U
  'dc.3.5': [1, 2, 2, 1], // S
  'dc.3.6': [2, 2, 3, 2], // A
  'dc.3.7': [3, 3, null, 3], // U (one rater left it)
  'dc.4.1': [2, 2, 1, 1], // S
  'dc.4.2': [2, 2, 2, 2], // U
  'dc.4.3': [3, 2, 2, 2], // A
  'dc.5.1': [3, 3, 4, 3], // A
  'dc.5.2': [3, 3, 3, 3], // U
  'dc.5.3': [2, 3, 3, 3], // A
  'dc.5.4': [4, 4, 4, 2], // O
  'dc.5.5': [2, 2, 2, 2], // U
  'dc.5.6': [3, 3, 2, 2], // S
  'dc.5.7': [1, 1, 2, 1], // A
  'dc.5.8': [3, 3, 3, 3], // U
  // Required areas of autonomy: a yes/no section of its own (0 no, 1 yes).
  'dc.autonomy.1': [1, 1, 1, 1],
  'dc.autonomy.2': [1, 0, 1, 1],
  'dc.autonomy.3': [0, 0, 0, 0],
  'dc.autonomy.4': [1, 1, 0, 0],
  'dc.autonomy.5': [0, 1, 0, 0],
  'dc.autonomy.6': [1, 1, 1, 1],
};

/** A few raters' notes beside their ratings. */
export const DC_NOTES: { by: PersonKey; id: string; text: string }[] = [
  { by: 'shirley', id: 'dc.1.6', text: 'Our school has not seen this in practice yet.' },
  { by: 'district', id: 'dc.2.1', text: 'The vision is adopted; every school can name it.' },
  { by: 'harborview', id: 'dc.4.1', text: 'Budget autonomy is on paper only.' },
];

export const DC_EVIDENCE: { by: PersonKey; id: string; text: string }[] = [
  {
    by: 'district',
    id: 'dc.1.1',
    text: 'PL steering committee charter (May 2026); meets every other week.',
  },
  { by: 'harborview', id: 'dc.5.4', text: 'Help-desk tickets: median 3 days to fix a device.' },
];

export const PLAN = {
  vision:
    'Every Revere student learns at the pace and in the way that suits them, with a clear path to college, career and civic life.',
  goals: [
    {
      id: 'goal-coaching',
      by: 'facilitator',
      area: 'kw.professional-development',
      title: 'Coaching for personalized learning',
      statement:
        'By June 2027, 80% of teachers at Harborview and Shirley Avenue complete two coaching cycles on personalized learning practices, as shown in coaching logs.',
      owners: ['facilitator', 'Director of Professional Learning'],
      phase: 'kw.year-1',
      startDate: '2026-09-01',
      dueDate: '2027-06-30',
      status: 'on-track',
      confidence: 'medium',
      indicators: ['dc.1.5', 'dc.2.3'],
      steps: [
        {
          id: 'step-hire-coaches',
          title: 'Hire two instructional coaches',
          owner: 'district',
          dueDate: '2026-10-31',
          status: 'in-progress',
        },
        {
          id: 'step-coaching-calendar',
          title: 'Publish the coaching cycle calendar',
          owner: 'facilitator',
          dueDate: '2026-11-15',
          status: 'not-started',
        },
      ],
    },
    {
      id: 'goal-devices',
      by: 'district2',
      area: 'kw.technology-policy',
      title: 'Reliable devices and connectivity',
      statement:
        'By January 2027, every student in grades 3-12 has a working device and home internet access, verified by the annual technology survey.',
      owners: ['district2'],
      phase: 'kw.year-1',
      startDate: '2026-09-01',
      dueDate: '2027-01-31',
      status: 'at-risk',
      confidence: 'low',
      indicators: ['dc.5.4', 'pre.technology'],
      steps: [
        {
          id: 'step-connectivity-survey',
          title: 'Survey home connectivity',
          owner: 'district2',
          dueDate: '2026-10-15',
          status: 'done',
        },
      ],
    },
    {
      id: 'goal-funding',
      by: 'owner',
      area: 'kw.partnerships',
      title: 'Sustained funding for coaching',
      statement:
        'By March 2027, the FY28 budget carries a recurring line for personalized learning coaching, with a partner grant covering start-up costs.',
      owners: ['owner', 'Chief Financial Officer'],
      phase: 'kw.year-1',
      startDate: '2026-10-01',
      dueDate: '2027-03-31',
      status: 'not-started',
      confidence: 'medium',
      indicators: ['pre.funding'],
      steps: [],
    },
  ],
  metric: {
    id: 'metric-chronic-absenteeism',
    by: 'district',
    name: 'Chronic absenteeism',
    goalId: 'goal-coaching',
    unit: '%',
    source: 'DESE school and district profiles',
    templateIndicator: 'kw.eval.cultural.attendance',
    baseline: {
      all: 21.4,
      'economic-disadvantage': 26.9,
      'english-language-learners': 24.8,
      'students-with-disabilities': 29.1,
    },
    target: {
      all: 17,
      'economic-disadvantage': 21,
      'english-language-learners': 19.5,
      'students-with-disabilities': 23,
    },
    /** Measured so far this year, all students and each subgroup (the leadership view's trend:
     * English language learners barely move, so the summary names them as furthest behind). */
    actuals: [
      { date: '2026-09-30', value: 21.3 },
      { date: '2026-10-31', value: 20.8 },
      { date: '2026-12-31', value: 20.2 },
      { date: '2026-10-31', value: 26.4, subgroup: 'economic-disadvantage' },
      { date: '2026-12-31', value: 25.6, subgroup: 'economic-disadvantage' },
      { date: '2026-10-31', value: 24.9, subgroup: 'english-language-learners' },
      { date: '2026-12-31', value: 24.5, subgroup: 'english-language-learners' },
      { date: '2026-10-31', value: 28.6, subgroup: 'students-with-disabilities' },
      { date: '2026-12-31', value: 27.4, subgroup: 'students-with-disabilities' },
    ],
  },
  comment: {
    goalId: 'goal-devices',
    by: 'leadership',
    body: 'Is January realistic given the bond timeline?',
    reply: {
      by: 'facilitator',
      body: 'The tech team will confirm at the October cabinet meeting.',
    },
  },
} as const;
