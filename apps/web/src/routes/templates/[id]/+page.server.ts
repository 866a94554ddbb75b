import { error } from '@sveltejs/kit';
import { getBuiltinTemplate } from '@concord/rubric-core/templates';
import { formatSourceDate, kindLabel, referenceLabel } from '$lib/catalogue';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => {
  const template = getBuiltinTemplate(params.id);
  if (!template) {
    error(404, { message: `There is no template with the id “${params.id}”.` });
  }
  const refLabels: Record<string, string> = {};
  for (const source of template.referenceSources ?? []) {
    refLabels[source.id] = referenceLabel(source);
  }
  // The seed file name is a transcription detail, not for the page.
  const { seed: _seed, ...source } = template.source;
  void _seed;
  return {
    template: { ...template, source },
    kindLabel: kindLabel(template.kind),
    dateText: formatSourceDate(template.source.date),
    refLabels,
  };
};
