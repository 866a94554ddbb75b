/**
 * Small templates of every kind for unit tests of the catalogue UI. Test-only: they go through
 * the real parser, so they are exactly what a built-in or an imported template looks like.
 */
import { parseTemplate, type Template, type TemplateInput } from '@concord/rubric-core';

function parse(input: TemplateInput): Template {
  const result = parseTemplate(input);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

const source = { document: 'Fixture Document', publisher: 'Fixture Press', date: '2015-08-21' };

export const rubricFixture = parse({
  schemaVersion: 1,
  id: 'fx-rubric',
  version: 2,
  kind: 'rubric',
  title: 'Fixture Rubric',
  description: 'A rubric with nested sections, descriptors and references.',
  instructions: 'Rate each indicator.',
  source,
  referenceSources: [
    { id: 'ccsso', title: 'Council of Chief State School Officers (CCSSO)' },
    { id: 'long-source', title: 'A very long reference source title that is not an acronym' },
  ],
  scale: {
    levels: [
      { value: 1, label: 'Low', description: 'Little evidence' },
      { value: 2, label: 'Mid' },
      { value: 3, label: 'High' },
    ],
    readyAt: 2,
  },
  sections: [
    {
      id: 'fx.a',
      number: 'I',
      title: 'Parent section',
      sections: [
        {
          id: 'fx.a.1',
          number: '1',
          title: 'Child section',
          indicators: [
            {
              id: 'fx.a.1.1',
              number: '1.a',
              text: 'First statement.',
              criteria: ['Criterion one', 'Criterion two'],
              references: [
                { source: 'ccsso', code: 'II.3.a-d' },
                { source: 'long-source', code: '7' },
              ],
            },
            { id: 'fx.a.1.3', number: '3', text: 'Old statement.', retired: true },
          ],
          sections: [
            {
              id: 'fx.a.1.x',
              title: 'Grandchild',
              indicators: [{ id: 'fx.a.1.x.1', number: '1', text: 'Deep statement.' }],
            },
          ],
        },
      ],
    },
    {
      id: 'fx.b',
      number: 'II',
      title: 'Practices',
      indicators: [
        {
          id: 'fx.b.1',
          number: '1',
          title: 'Vision',
          text: 'Vision',
          descriptors: [
            { level: 1, text: ['Low vision text.'] },
            { level: 3, text: ['High vision text.', 'Second paragraph.'] },
          ],
        },
      ],
    },
    {
      id: 'fx.c',
      title: 'Autonomies',
      scored: false,
      scale: {
        levels: [
          { value: 0, label: 'No' },
          { value: 1, label: 'Yes' },
        ],
      },
      indicators: [{ id: 'fx.c.1', number: '1', title: 'Staffing', text: 'Hire freely.' }],
    },
  ],
  outcomeMeasures: [
    {
      id: 'fx.om',
      title: 'Engagement',
      measures: [
        {
          id: 'fx.om.1',
          text: 'Absences fall.',
          source: 'Survey',
          areas: ['Climate', 'Belonging'],
        },
      ],
    },
  ],
});

export const checklistFixture = parse({
  schemaVersion: 1,
  id: 'fx-checklist',
  version: 1,
  kind: 'checklist',
  title: 'Fixture Checklist',
  source: { ...source, date: '2020-03' },
  scale: {
    levels: [
      { value: 1, label: 'Barrier', blocksLaunch: true },
      { value: 2, label: 'Sufficient' },
    ],
  },
  sections: [
    {
      id: 'pre',
      title: 'Prerequisites',
      indicators: [
        {
          id: 'pre.a',
          number: '1',
          title: 'Funding',
          text: 'Money exists.',
          evidencePrompt: 'Show it',
        },
      ],
    },
  ],
});

export const planFixture = parse({
  schemaVersion: 1,
  id: 'fx-plan',
  version: 1,
  kind: 'plan',
  title: 'Fixture Plan',
  source: { ...source, date: '2015' },
  areas: [
    { id: 'area.1', number: '1', title: 'Curriculum', elements: ['Aligned'] },
    { id: 'area.2', title: 'Instruction' },
  ],
  themes: [{ id: 'vision', title: 'Vision', description: 'Shared vision.' }],
  phases: [
    { id: 'y1', year: 1, title: 'Year 1: Planning', milestones: ['Approval'] },
    { id: 'y2', year: 2, title: 'Implementation' },
  ],
  metricGroups: [
    { id: 'm.culture', title: 'Culture', indicators: [{ id: 'm.att', text: 'Attendance' }] },
    {
      id: 'm.perf',
      title: 'Performance',
      indicators: [
        { id: 'm.prof', text: 'Proficiency' },
        { id: 'm.growth', text: 'Growth' },
      ],
    },
  ],
  subgroups: [{ id: 'el', label: 'English learners' }],
  goalStatuses: [
    { id: 'on', label: 'On track' },
    { id: 'off', label: 'Off track' },
  ],
  assurances: ['Goals and objectives'],
});
