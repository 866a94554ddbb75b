/** Small templates for unit tests (not shipped: excluded from the build). */
import { parseTemplate } from './template/parse.js';
import type { ChecklistTemplate, RubricTemplate, Template } from './template/schema.js';

export function mustParse(input: unknown): Template {
  const r = parseTemplate(input);
  if (!r.ok) throw new Error(JSON.stringify(r.issues, null, 2));
  return r.value;
}

export const source = { document: 'Test rubric', publisher: 'Concord tests', date: '2026-11' };

export const fourLevels = {
  levels: [
    { value: 1, label: 'Area of Concern' },
    { value: 2, label: 'Initial Steps' },
    { value: 3, label: 'Moving toward Sustainability' },
    { value: 4, label: 'Sustainable' },
  ],
  readyAt: 3,
};

export const rubricInput = {
  schemaVersion: 1,
  kind: 'rubric',
  id: 'test-rubric',
  version: 1,
  title: 'Test rubric',
  source,
  scale: fourLevels,
  sections: [
    {
      id: 's1',
      number: '1',
      title: 'Leadership',
      indicators: [
        { id: 's1.1', number: '1', text: 'Leaders share a vision.' },
        { id: 's1.2', number: '2', text: 'Leaders use data.' },
        { id: 's1.4', number: '4', text: 'Leaders engage stakeholders.' },
      ],
    },
    {
      id: 's2',
      number: '2',
      title: 'Technology',
      indicators: [{ id: 's2.1', number: '1', text: 'Devices for every student.' }],
      sections: [
        {
          id: 's2.a',
          title: 'Infrastructure',
          indicators: [{ id: 's2.a.1', number: 'a', text: 'Bandwidth is enough.' }],
        },
      ],
    },
    {
      id: 'auto',
      title: 'Autonomies',
      scored: false,
      scale: {
        levels: [
          { value: 0, label: 'Not in place' },
          { value: 1, label: 'In place' },
        ],
        measurement: 'nominal',
      },
      indicators: [{ id: 'auto.1', number: '1', title: 'Staffing', text: 'Hire staff.' }],
    },
  ],
};

export const rubric = mustParse(rubricInput) as RubricTemplate;

export const checklist = mustParse({
  schemaVersion: 1,
  kind: 'checklist',
  id: 'test-checklist',
  version: 1,
  title: 'Prerequisites',
  source,
  scale: {
    levels: [
      { value: 1, label: 'Barrier to Launch', blocksLaunch: true },
      { value: 2, label: 'Sufficient for Launch' },
      { value: 3, label: 'Asset to Implementation' },
    ],
    readyAt: 2,
  },
  sections: [
    {
      id: 'pre',
      title: 'Prerequisites to Launch',
      indicators: [
        { id: 'pre.vision', number: '1', title: 'Vision', text: 'A shared vision.' },
        { id: 'pre.talent', number: '2', title: 'Talent', text: 'Staff in place.' },
        { id: 'pre.tech', number: '3', title: 'Technology', text: 'Devices and access.' },
      ],
    },
  ],
}) as ChecklistTemplate;

/** Ratings for one indicator from raters r1, r2, ...; null = not rated. */
export function rate(...values: (number | null)[]) {
  return { ratings: values.map((value, i) => ({ raterId: `r${i + 1}`, value })) };
}
