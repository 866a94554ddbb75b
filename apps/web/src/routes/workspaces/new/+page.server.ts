/**
 * The new-workspace wizard: three steps (workspace, district and schools, instruments), each a
 * plain form post that validates its own fields, so it works without JavaScript; values from
 * earlier steps travel along in hidden fields. The last step validates everything again and
 * creates the workspace in one transaction (nothing is stored until then, nor on any error).
 *
 * Only districts the person may add a workspace to are offered (`district.add-workspace` in
 * @concord/auth, see $lib/server/districts); a district posted anyway is refused on its field at
 * the district step and again, in the transaction, at the last.
 */
import { fail, redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import {
  chosenSchoolNames,
  closedDistrictsNote,
  districtChoiceProblem,
  DistrictStepSchema,
  listMyDistricts,
  US_STATES,
  type DistrictWithSchools,
} from '$lib/server/districts';
import {
  echoValues,
  fieldErrors,
  formValues,
  readFormData,
  type FormErrors,
  type FormValues,
} from '$lib/server/form';
import {
  createWorkspace,
  INSTRUMENTS,
  SCHOOL_PLANNING,
  STEP_SCHEMAS,
  WIZARD_STEPS,
  WizardSchema,
  type WizardStep,
} from '$lib/server/workspaces';
import { currentSchoolYear, PLAN_YEARS_DEFAULT, PLAN_YEARS_MAX } from '$lib/school-year';
import type { Actions, PageServerLoad } from './$types';

/** Which step each field is asked on (an error on it sends the person back there). */
const FIELD_STEPS: Record<string, WizardStep> = {
  name: 'workspace',
  schoolYear: 'workspace',
  district: 'district',
  districtName: 'district',
  districtState: 'district',
  schoolIds: 'district',
  newSchools: 'district',
  instruments: 'instruments',
  planYears: 'instruments',
  planningSchools: 'instruments',
};

function stepOf(value: FormDataEntryValue | null): WizardStep {
  return WIZARD_STEPS.find((s) => s === value) ?? 'workspace';
}

function firstStepWithError(errors: FormErrors): WizardStep {
  for (const step of WIZARD_STEPS) {
    if (Object.keys(errors).some((k) => FIELD_STEPS[k.split('.')[0] ?? ''] === step)) return step;
  }
  return 'instruments';
}

/** The school names chosen so far (for the per-school School Planning Tool choice). */
function schoolNames(values: FormValues, districts: DistrictWithSchools[]): string[] {
  const parsed = DistrictStepSchema.safeParse(values);
  return parsed.success ? chosenSchoolNames(parsed.data, districts) : [];
}

function show(step: WizardStep, values: FormValues, districts: DistrictWithSchools[]) {
  return {
    step,
    values: echoValues(withoutStep(values)),
    errors: {} as FormErrors,
    schoolNames: schoolNames(values, districts),
  };
}

function refuse(
  step: WizardStep,
  values: FormValues,
  errors: FormErrors,
  districts: DistrictWithSchools[],
  status: 400 | 403 = 400,
) {
  return fail(status, {
    step,
    values: echoValues(withoutStep(values)),
    errors,
    schoolNames: schoolNames(values, districts),
  });
}

function withoutStep(values: FormValues): FormValues {
  const { step: _step, ...rest } = values;
  void _step;
  return rest;
}

export const load: PageServerLoad = async (event) => {
  const user = requireUser(event);
  const db = await getDb();
  const mine = await listMyDistricts(db.sql, user.id);
  return {
    districts: mine.addable,
    closedDistrictsNote: closedDistrictsNote(mine),
    states: Object.entries(US_STATES).map(([code, name]) => ({ code, name })),
    instruments: INSTRUMENTS.map((i) => ({
      key: i.key,
      label: i.label,
      description: i.description,
    })),
    schoolPlanning: { label: SCHOOL_PLANNING.label, description: SCHOOL_PLANNING.description },
    // What a first visit shows filled in: this school year and a plan over the framework's five
    // years (the district step ticks the first of the person's districts and its schools).
    defaults: { schoolYear: currentSchoolYear(new Date()), planYears: PLAN_YEARS_DEFAULT },
    planYearsMax: PLAN_YEARS_MAX,
  };
};

export const actions: Actions = {
  /** Checks the current step and shows the next. */
  next: async (event) => {
    const user = requireUser(event);
    const data = await readFormData(event.request);
    const values = formValues(data);
    const step = stepOf(data.get('step'));
    const mine = await listMyDistricts((await getDb()).sql, user.id);
    const districts = mine.addable;
    const parsed = STEP_SCHEMAS[step].safeParse(values);
    if (!parsed.success) return refuse(step, values, fieldErrors(parsed.error), districts);
    // Said at the district step, not only when creating: the last step checks it again.
    if (step === 'district' && typeof values.district === 'string') {
      const problem = districtChoiceProblem(mine, values.district);
      if (problem) return refuse(step, values, problem.errors, districts, problem.status);
    }
    const next = WIZARD_STEPS[WIZARD_STEPS.indexOf(step) + 1] ?? step;
    return show(next, values, districts);
  },

  /** Shows the previous step, keeping everything typed. */
  back: async (event) => {
    const user = requireUser(event);
    const data = await readFormData(event.request);
    const values = formValues(data);
    const step = stepOf(data.get('step'));
    const districts = (await listMyDistricts((await getDb()).sql, user.id)).addable;
    const previous = WIZARD_STEPS[Math.max(0, WIZARD_STEPS.indexOf(step) - 1)] ?? step;
    return show(previous, values, districts);
  },

  /** Checks every step and creates the workspace. */
  create: async (event) => {
    const user = requireUser(event);
    const data = await readFormData(event.request);
    const values = formValues(data);
    const db = await getDb();
    const districts = (await listMyDistricts(db.sql, user.id)).addable;
    const parsed = WizardSchema.safeParse(values);
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error);
      return refuse(firstStepWithError(errors), values, errors, districts);
    }
    const result = await createWorkspace(db, user.id, parsed.data);
    if (!result.ok) {
      const step = firstStepWithError(result.errors);
      return refuse(step, values, result.errors, districts, result.status);
    }
    redirect(303, `/w/${result.workspace.id}`);
  },
};
