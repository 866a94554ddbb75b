/**
 * Ids and titles of the built-in templates (`@concord/rubric-core/templates`), kept here without
 * the seed texts so that import can name the built-in a user's template clashes with.
 * templates/index.test.ts checks this list against the built-ins themselves.
 */
export const BUILTIN_TEMPLATE_TITLES: Readonly<Record<string, string>> = {
  'schoolworks-prerequisites':
    'SchoolWorks K-12 Online Learning Program Development Rubric: Prerequisites to Launch',
  'ma-pln-district-conditions': 'MA Personalized Learning District Conditions Rubric',
  'ma-pln-school-planning': 'MA Personalized Learning Network School Planning Tool',
  'schoolworks-fundamental-practices':
    'SchoolWorks K-12 Online Learning Program Development Rubric: Fundamental Practices in Personalized Learning',
  'knowledgeworks-plan': 'District Conditions for Scaling Personalized Learning: Strategic Plan',
};
