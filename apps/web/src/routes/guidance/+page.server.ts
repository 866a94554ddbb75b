import { guidance } from '@concord/rubric-core/templates';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => {
  const { title, source, groups } = guidance;
  return {
    title,
    source: { document: source.document, publisher: source.publisher, date: source.date },
    groups,
  };
};
