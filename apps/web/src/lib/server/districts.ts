/**
 * Districts and their schools, as the workspace wizard sees them: the districts a person already
 * works in (so a second workspace reuses the district instead of copying it), the form fields of
 * the wizard's district step, and, inside the wizard's transaction, making or finding the
 * district and the schools the new workspace names.
 *
 * A person may pick only a district where they hold `district.add-workspace` (the one table in
 * @concord/auth: an owner of one of its workspaces), or a new one. A district where they are a
 * member in another role is refused with 403 and a message saying who may add to it (they know
 * it exists); anything else posted is refused as if it were not in the list, so district ids
 * cannot be probed.
 */
import { can, ROLE_LABELS, ROLES } from '@concord/auth/roles';
import { z } from 'zod';
import { formList, formText } from './form.js';
import { statement, type SqlSession, type SqlTx } from './sql-statement.js';
import {
  DISTRICT_NAME_MAX_LENGTH,
  MAX_SCHOOLS_PER_WORKSPACE,
  SCHOOL_LIST_MAX_LENGTH,
  SCHOOL_NAME_MAX_LENGTH,
} from './workspace-limits.js';

/** The states (and DC and territories) a district may be in, by postal code. */
export const US_STATES: Readonly<Record<string, string>> = {
  AL: 'Alabama',
  AK: 'Alaska',
  AZ: 'Arizona',
  AR: 'Arkansas',
  CA: 'California',
  CO: 'Colorado',
  CT: 'Connecticut',
  DE: 'Delaware',
  DC: 'District of Columbia',
  FL: 'Florida',
  GA: 'Georgia',
  HI: 'Hawaii',
  ID: 'Idaho',
  IL: 'Illinois',
  IN: 'Indiana',
  IA: 'Iowa',
  KS: 'Kansas',
  KY: 'Kentucky',
  LA: 'Louisiana',
  ME: 'Maine',
  MD: 'Maryland',
  MA: 'Massachusetts',
  MI: 'Michigan',
  MN: 'Minnesota',
  MS: 'Mississippi',
  MO: 'Missouri',
  MT: 'Montana',
  NE: 'Nebraska',
  NV: 'Nevada',
  NH: 'New Hampshire',
  NJ: 'New Jersey',
  NM: 'New Mexico',
  NY: 'New York',
  NC: 'North Carolina',
  ND: 'North Dakota',
  OH: 'Ohio',
  OK: 'Oklahoma',
  OR: 'Oregon',
  PA: 'Pennsylvania',
  RI: 'Rhode Island',
  SC: 'South Carolina',
  SD: 'South Dakota',
  TN: 'Tennessee',
  TX: 'Texas',
  UT: 'Utah',
  VT: 'Vermont',
  VA: 'Virginia',
  WA: 'Washington',
  WV: 'West Virginia',
  WI: 'Wisconsin',
  WY: 'Wyoming',
  AS: 'American Samoa',
  GU: 'Guam',
  MP: 'Northern Mariana Islands',
  PR: 'Puerto Rico',
  VI: 'U.S. Virgin Islands',
};

/** The value of the district choice that means "a district not yet in Concord". */
export const NEW_DISTRICT = 'new';

export type SchoolRef = {
  id: string;
  name: string;
};

export interface DistrictWithSchools {
  id: string;
  name: string;
  state: string | null;
  schools: SchoolRef[];
}

/** "One per line" text → distinct trimmed names (case-insensitive), in the order typed. */
export function schoolNamesFromText(text: string): string[] {
  const seen = new Set<string>();
  const names: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const name = line.trim().replace(/\s+/g, ' ');
    const key = name.toLowerCase();
    if (name === '' || seen.has(key)) continue;
    seen.add(key);
    names.push(name);
  }
  return names;
}

const schoolList = z
  .string()
  .max(SCHOOL_LIST_MAX_LENGTH, 'That list is too long; add the rest of the schools later.')
  .optional()
  .transform((text) => schoolNamesFromText(text ?? ''))
  .pipe(
    z
      .array(
        z
          .string()
          .max(
            SCHOOL_NAME_MAX_LENGTH,
            `Each school name must be at most ${SCHOOL_NAME_MAX_LENGTH} characters.`,
          ),
      )
      .max(
        MAX_SCHOOLS_PER_WORKSPACE,
        `Name at most ${MAX_SCHOOLS_PER_WORKSPACE} schools in one workspace.`,
      ),
  );

/**
 * The wizard's district step: a district of one's own (`district` = its id) with some of its
 * schools ticked, or a new one (`district` = "new") with name and state; either way new school
 * names may be typed one per line. At least one school in all.
 */
export const DistrictStepSchema = z
  .object({
    district: z.string({ error: 'Choose a district.' }).min(1, 'Choose a district.'),
    districtName: z.string().trim().optional(),
    districtState: z.string().trim().optional(),
    schoolIds: formList(z.string()),
    newSchools: schoolList,
  })
  .superRefine((v, ctx) => {
    if (v.district === NEW_DISTRICT) {
      const name = formText('the district’s name', DISTRICT_NAME_MAX_LENGTH).safeParse(
        v.districtName ?? '',
      );
      if (!name.success) {
        ctx.addIssue({
          code: 'custom',
          path: ['districtName'],
          message: name.error.issues[0]?.message ?? 'Enter the district’s name.',
        });
      }
      if (!v.districtState || !(v.districtState in US_STATES)) {
        ctx.addIssue({ code: 'custom', path: ['districtState'], message: 'Choose the state.' });
      }
      if (v.newSchools.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['newSchools'],
          message: 'Name at least one school, one per line.',
        });
      }
    } else if (v.schoolIds.length + v.newSchools.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['schoolIds'],
        message: 'Choose at least one school, or name a new one.',
      });
    }
  });

export type DistrictStep = z.output<typeof DistrictStepSchema>;

/** The roles whose holders may start another workspace in their workspace's district. */
export const DISTRICT_ADDING_ROLES = ROLES.filter((r) => can(r, 'district.add-workspace'));

// Schools go only with the districts the person may add to: the wizard offers them there, and
// a district's full list (other workspaces' schools too) is nobody else's business.
const MY_DISTRICTS = statement(
  'my_districts',
  `with mine as (
     select w.district_id, bool_or(m.role = any($2::text[])) as may_add
     from workspaces w join memberships m on m.workspace_id = w.id
     where m.user_id = $1::uuid group by w.district_id)
   select d.id, d.name, d.state, mine.may_add,
          coalesce(json_agg(json_build_object('id', s.id, 'name', s.name) order by s.name)
                   filter (where s.id is not null and mine.may_add), '[]') as schools
   from mine join districts d on d.id = mine.district_id
   left join schools s on s.district_id = d.id
   group by d.id, mine.may_add order by d.name`,
);

export interface DistrictRef {
  id: string;
  name: string;
  state: string | null;
}

/** The districts a person has a workspace in, split by whether they may add one there. */
export interface MyDistricts {
  /** Where their role allows `district.add-workspace`, with all the district's schools. */
  addable: DistrictWithSchools[];
  /** Where they are a member in another role only: shown as not on offer, never accepted. */
  closed: DistrictRef[];
}

/** The person's districts (see MyDistricts), each list by name. */
export async function listMyDistricts(db: SqlSession, userId: string): Promise<MyDistricts> {
  const rows = await db.query<{
    id: string;
    name: string;
    state: string | null;
    may_add: boolean;
    schools: SchoolRef[] | string;
  }>(MY_DISTRICTS, [userId, DISTRICT_ADDING_ROLES]);
  const mine: MyDistricts = { addable: [], closed: [] };
  for (const r of rows) {
    if (!r.may_add) {
      mine.closed.push({ id: r.id, name: r.name, state: r.state });
      continue;
    }
    mine.addable.push({
      id: r.id,
      name: r.name,
      state: r.state,
      schools: typeof r.schools === 'string' ? (JSON.parse(r.schools) as SchoolRef[]) : r.schools,
    });
  }
  return mine;
}

/** A refused district choice: the status to answer and the message on the `district` field. */
export interface DistrictRefusal {
  status: 400 | 403;
  errors: { district: string };
}

/** "an owner", "an owner or facilitator": who may add a workspace to a district, from the table. */
function addingRolesText(): string {
  const labels = DISTRICT_ADDING_ROLES.map((r) => ROLE_LABELS[r].toLowerCase());
  const article = /^[aeiou]/.test(labels[0] ?? '') ? 'an' : 'a';
  return `${article} ${labels.join(' or ')}`;
}

/**
 * Why districts the person works in are not on offer (null when none are left out), so they ask
 * an owner there instead of starting a "new" copy of the district.
 */
export function closedDistrictsNote(mine: MyDistricts): string | null {
  const names = mine.closed.map((d) => (d.state ? `${d.name}, ${d.state}` : d.name));
  if (names.length === 0) return null;
  return `Not listed: ${names.join('; ')}. Only ${addingRolesText()} of one of a district’s workspaces can start another workspace in it; ask one there to start it and invite you.`;
}

/**
 * Why the person may not start a workspace in the district they chose, or null when they may
 * (a new district, or one of `mine.addable`).
 */
export function districtChoiceProblem(
  mine: MyDistricts,
  districtId: string,
): DistrictRefusal | null {
  if (districtId === NEW_DISTRICT || mine.addable.some((d) => d.id === districtId)) return null;
  return districtRefusal(mine, districtId);
}

/** The refusal of a district that is not on offer (see the module comment). */
function districtRefusal(mine: MyDistricts, districtId: string): DistrictRefusal {
  if (mine.closed.some((d) => d.id === districtId)) {
    return {
      status: 403,
      errors: {
        district: `Only ${addingRolesText()} of one of this district’s workspaces can start another workspace in it. Ask one to start it and invite you, or choose a new district.`,
      },
    };
  }
  return {
    status: 400,
    errors: { district: 'Choose one of your districts from the list, or a new district.' },
  };
}

/**
 * The schools the district step names, as names (for the instruments step, which offers a School
 * Planning Tool per school before any new school has an id). Unknown ids are left out here; the
 * final step refuses them.
 */
export function chosenSchoolNames(step: DistrictStep, districts: DistrictWithSchools[]): string[] {
  const district = districts.find((d) => d.id === step.district);
  const picked = district
    ? district.schools.filter((s) => step.schoolIds.includes(s.id)).map((s) => s.name)
    : [];
  const names = [...picked];
  for (const name of step.newSchools) {
    if (!names.some((n) => n.toLowerCase() === name.toLowerCase())) names.push(name);
  }
  return names;
}

/**
 * A form problem found while writing: which field, and what to do (400, or 403 when the person's
 * role is what stands in the way). Nothing was stored.
 */
export class WizardInputError extends Error {
  constructor(
    readonly errors: Record<string, string>,
    readonly status: 400 | 403 = 400,
  ) {
    super(Object.values(errors).join(' '));
    this.name = 'WizardInputError';
  }
}

const INSERT_DISTRICT = statement(
  'insert_district',
  `insert into districts (name, state) values ($1, $2) returning id, name, state`,
);
const INSERT_SCHOOLS = statement(
  'insert_schools',
  `insert into schools (district_id, name) select $1::uuid, unnest($2::text[])
   on conflict (district_id, name) do nothing`,
);
const SCHOOLS_OF = statement(
  'schools_of_district',
  `select id, name from schools where district_id = $1::uuid order by name`,
);

export interface ResolvedDistrict {
  id: string;
  name: string;
  /** The schools the workspace names, in the order chosen. */
  schools: SchoolRef[];
}

/**
 * Inside the wizard's transaction: the district (made now, or one the person may add to, checked
 * again here whatever earlier steps said) and its schools (new names added to it). Throws
 * WizardInputError naming the field when the person may not add to the district chosen
 * (districtChoiceProblem) or a ticked school is not in it.
 */
export async function resolveDistrict(
  tx: SqlTx,
  userId: string,
  step: DistrictStep,
): Promise<ResolvedDistrict> {
  let district: { id: string; name: string };
  let existing: SchoolRef[] = [];
  if (step.district === NEW_DISTRICT) {
    const rows = await tx.query<{ id: string; name: string }>(INSERT_DISTRICT, [
      step.districtName?.trim(),
      step.districtState,
    ]);
    district = rows[0]!;
  } else {
    const districts = await listMyDistricts(tx, userId);
    const mine = districts.addable.find((d) => d.id === step.district);
    if (!mine) {
      const refusal = districtRefusal(districts, step.district);
      throw new WizardInputError(refusal.errors, refusal.status);
    }
    district = mine;
    existing = mine.schools;
    const unknown = step.schoolIds.filter((id) => !existing.some((s) => s.id === id));
    if (unknown.length > 0) {
      throw new WizardInputError({ schoolIds: 'Choose schools of this district from the list.' });
    }
  }
  const typed = step.newSchools.filter(
    (name) => !existing.some((s) => s.name.toLowerCase() === name.toLowerCase()),
  );
  if (typed.length > 0) await tx.query(INSERT_SCHOOLS, [district.id, typed]);
  const all = await tx.query<SchoolRef>(SCHOOLS_OF, [district.id]);
  const byName = (name: string) => all.find((s) => s.name.toLowerCase() === name.toLowerCase());
  const chosen: SchoolRef[] = [];
  const add = (s: SchoolRef | undefined) => {
    if (s && !chosen.some((c) => c.id === s.id)) chosen.push(s);
  };
  for (const id of step.schoolIds) add(all.find((s) => s.id === id));
  for (const name of step.newSchools) add(byName(name));
  if (chosen.length > MAX_SCHOOLS_PER_WORKSPACE) {
    throw new WizardInputError({
      schoolIds: `Name at most ${MAX_SCHOOLS_PER_WORKSPACE} schools in one workspace.`,
    });
  }
  return { id: district.id, name: district.name, schools: chosen };
}
