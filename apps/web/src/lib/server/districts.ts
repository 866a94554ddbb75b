/**
 * Districts and their schools, as the workspace wizard sees them: the districts a person already
 * works in (so a second workspace reuses the district instead of copying it), the form fields of
 * the wizard's district step, and, inside the wizard's transaction, making or finding the
 * district and the schools the new workspace names.
 *
 * A person may pick only a district they already have a workspace in; anything else posted is
 * refused as if it were not in the list, so district ids cannot be probed.
 */
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

const MY_DISTRICTS = statement(
  'my_districts',
  `select d.id, d.name, d.state,
          coalesce(json_agg(json_build_object('id', s.id, 'name', s.name) order by s.name)
                   filter (where s.id is not null), '[]') as schools
   from districts d left join schools s on s.district_id = d.id
   where d.id in (select w.district_id from workspaces w
                  join memberships m on m.workspace_id = w.id where m.user_id = $1::uuid)
   group by d.id order by d.name`,
);

/** The districts the person has a workspace in, with all their schools, by name. */
export async function listMyDistricts(
  db: SqlSession,
  userId: string,
): Promise<DistrictWithSchools[]> {
  const rows = await db.query<{
    id: string;
    name: string;
    state: string | null;
    schools: SchoolRef[] | string;
  }>(MY_DISTRICTS, [userId]);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    state: r.state,
    schools: typeof r.schools === 'string' ? (JSON.parse(r.schools) as SchoolRef[]) : r.schools,
  }));
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

/** A form problem found while writing: which field, and what to do. Nothing was stored. */
export class WizardInputError extends Error {
  constructor(readonly errors: Record<string, string>) {
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
 * Inside the wizard's transaction: the district (made now, or one of the person's own) and its
 * schools (new names added to it). Throws WizardInputError naming the field when the choice is
 * not one of the person's districts or a ticked school is not in it.
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
    const mine = (await listMyDistricts(tx, userId)).find((d) => d.id === step.district);
    if (!mine) {
      throw new WizardInputError({
        district: 'Choose one of your districts from the list, or a new district.',
      });
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
