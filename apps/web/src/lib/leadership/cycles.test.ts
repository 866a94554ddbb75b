/** Readiness across cycles: grouping a district's instruments of one template into cycles. */
import type { SectionScoreRow } from '@concord/db/projection';
import { describe, expect, it } from 'vitest';
import { cycleSummary, readinessCycles, type CycleInstrument } from './cycles.js';

const section = (sectionId: string, title: string, mean: number | null): SectionScoreRow =>
  ({
    sectionId,
    title,
    depth: 0,
    ownScale: false,
    mean,
    level: null,
    levelLabel: null,
    scored: mean === null ? 0 : 3,
    indicators: 3,
    basis: mean === null ? 'none' : 'consensus',
  }) as unknown as SectionScoreRow;

let n = 0;
function inst(over: Partial<CycleInstrument>): CycleInstrument {
  n += 1;
  return {
    documentId: `doc-${n}`,
    workspaceId: `ws-${n}`,
    workspaceName: `Workspace ${n}`,
    districtId: 'd1',
    districtName: 'Revere',
    schoolYear: '2026-27',
    templateId: 'ma-pln-district-conditions',
    schoolId: null,
    school: null,
    title: 'District Conditions',
    kind: 'assessment',
    createdAt: '2026-09-01T00:00:00.000Z',
    scaleMax: 4,
    sections: [section('s1', 'Leadership', 2), section('s2', 'Budget', 1.5)],
    ...over,
  };
}

describe('readinessCycles', () => {
  it('orders a district’s instruments of one template by school year, and compares sections', () => {
    const [c] = readinessCycles([
      inst({
        schoolYear: '2026-27',
        sections: [section('s1', 'Leadership', 2.5), section('s3', 'Data', 3)],
      }),
      inst({ schoolYear: '2025-26' }),
      // Another template, another district, a checklist: not part of it.
      inst({ templateId: 'other' }),
      inst({ districtId: 'd2', districtName: 'Lynn' }),
      inst({ kind: 'prerequisites' }),
    ]);
    expect(c!.cycles.map((x) => x.label)).toEqual(['2025-26', '2026-27']);
    expect(c!.sections).toEqual([
      { sectionId: 's1', title: 'Leadership', means: [2, 2.5] },
      { sectionId: 's3', title: 'Data', means: [null, 3] },
      { sectionId: 's2', title: 'Budget', means: [1.5, null] },
    ]);
    expect(c!.summary).toBe(
      'From 2025-26 to 2026-27, of the one section scored in both, 1 rose and 0 fell; ' +
        'the largest change: Leadership, 2.0 to 2.5.',
    );
  });

  it('counts two instruments of one template in one year as two cycles, by creation', () => {
    const [c] = readinessCycles([
      inst({ createdAt: '2027-03-01T00:00:00.000Z', workspaceId: 'w' }),
      inst({ createdAt: '2026-09-01T00:00:00.000Z', workspaceId: 'w' }),
    ]);
    expect(c!.cycles.map((x) => x.label)).toEqual(['2026-27', '2026-27 (2)']);
  });

  it('keeps per-school tools apart, and shows nothing for one cycle or no scores', () => {
    const school = (schoolId: string, schoolYear: string) =>
      inst({ schoolId, school: schoolId.toUpperCase(), schoolYear, templateId: 'spt' });
    const out = readinessCycles([
      school('a', '2025-26'),
      school('a', '2026-27'),
      school('b', '2026-27'),
      inst({ templateId: 'x', sections: [section('s1', 'L', null)] }),
      inst({ templateId: 'x', sections: [section('s1', 'L', null)] }),
    ]);
    expect(out.map((c) => [c.title, c.cycles.length])).toEqual([['District Conditions, A', 2]]);
  });
});

describe('cycleSummary', () => {
  it('says when nothing can be compared', () => {
    const cycles = [
      {
        label: '2025-26',
        schoolYear: '2025-26',
        workspaceId: 'a',
        workspaceName: 'A',
        documentId: 'x',
      },
      {
        label: '2026-27',
        schoolYear: '2026-27',
        workspaceId: 'b',
        workspaceName: 'B',
        documentId: 'y',
      },
    ];
    expect(cycleSummary(cycles, [{ sectionId: 's', title: 'S', means: [null, 2] }])).toBe(
      'No section is scored in both 2025-26 and 2026-27 yet.',
    );
    expect(
      cycleSummary(cycles, [
        { sectionId: 's', title: 'S', means: [2, 1] },
        { sectionId: 't', title: 'T', means: [2, 2] },
      ]),
    ).toBe(
      'From 2025-26 to 2026-27, of 2 sections scored in both, 0 rose and 1 fell; the largest change: S, 2.0 to 1.0.',
    );
  });
});
