/**
 * The board report's SQL against the demo workspace (seeded into a scratch PostgreSQL database,
 * query tables included): the rows reach the model whole, and another workspace's id reads
 * nothing of this plan.
 */
import { DEMO_DOCUMENT_IDS, seedDemo } from '@concord/db/seed';
import { knowledgeworksPlanTemplate as template } from '@concord/rubric-core/templates';
import { describe, expect, it } from 'vitest';
import { loadBoardReport } from './board-report';
import { useScratchDb } from './workspace-test-db';

const db = useScratchDb();

describe('loadBoardReport', () => {
  it('reads the demo plan, its checklist and assessment from the query tables', async () => {
    const { workspaceId } = await seedDemo(db());
    const r = await loadBoardReport(
      db().sql,
      workspaceId,
      DEMO_DOCUMENT_IDS.plan,
      template,
      '2026-12-08',
    );
    expect(r.summary).toMatchObject({ goals: 3, onTrack: 1, atRisk: 1, overdueActions: 2 });
    const coaching = r.areas
      .find((a) => a.id === 'kw.professional-development')!
      .goals.find((g) => g.id === 'goal-coaching')!;
    expect(coaching.owners).toBe('Priya Raman, Director of Professional Learning');
    expect(coaching.steps.map((s) => [s.title, s.owner, s.overdue])).toEqual([
      ['Hire two instructional coaches', 'Luis Ortega', true],
      ['Publish the coaching cycle calendar', 'Priya Raman', true],
    ]);
    expect(r.checklists.map((c) => [c.status, c.barriers.map((b) => b.title)])).toEqual([
      ['blocked', ['Funding']],
    ]);
    expect(r.assessments.map((a) => [a.title, a.scaleMax])).toEqual([['District Conditions', 4]]);
    expect(r.metrics).toHaveLength(1);
    expect(r.metrics[0]!.rows.map((x) => [x.label, x.current])).toEqual([
      // The demo measures all students and three subgroups over time: the latest of each.
      ['All students', 20.2],
      ['Economic disadvantage', 25.6],
      ['English language learners', 24.5],
      ['Students with disabilities', 27.4],
    ]);

    const elsewhere = await loadBoardReport(
      db().sql,
      '00000000-0000-4000-8000-000000000000',
      DEMO_DOCUMENT_IDS.plan,
      template,
      '2026-12-08',
    );
    expect(elsewhere.summary.goals).toBe(0);
    expect(elsewhere.metrics).toEqual([]);
    expect(elsewhere.checklists).toEqual([]);
  }, 120_000);
});
