import { builtinTemplates } from '@concord/rubric-core/templates';
import { summarize } from '$lib/catalogue';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => {
  return { templates: builtinTemplates.map(summarize) };
};
