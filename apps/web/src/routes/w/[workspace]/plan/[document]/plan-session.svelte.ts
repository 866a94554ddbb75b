/**
 * The live side of the plan page: the plan document (LiveDocument: sync, offline copy, saved
 * state, presence), its snapshot as the page shows it (readPlan, read again after every change,
 * local or remote: a plan has tens of goals, so reading it whole is cheap and keeps one source
 * of truth), and the edits people make, each a documents-package writer in one transaction.
 * The route wires it; components in $lib/components/plan show it.
 */
import {
  addActionStep,
  addGoal,
  addMetric,
  goalText,
  moveActionStep,
  moveGoal,
  readPlan,
  recordActual,
  removeActionStep,
  removeActual,
  removeGoal,
  removeMetric,
  setMetricValues,
  stepTitle,
  updateActionStep,
  updateGoal,
  updateMetric,
  visionText,
  type GoalFields,
  type MetricActual,
  type MetricFields,
  type MetricInput,
  type PlanSnapshot,
  type StepFields,
} from '@concord/documents';
import type { PlanTemplate } from '@concord/rubric-core';
import type * as Y from 'yjs';
import { LiveDocument } from '$lib/sync/live-document.svelte';
import type { PresenceUser } from '$lib/sync/presence.svelte';
import type { SyncTicket } from '$lib/sync/ticket';

export interface PlanSessionOptions {
  workspaceId: string;
  planId: string;
  template: PlanTemplate;
  me: PresenceUser;
  canEdit: boolean;
  tickets: Readonly<Record<string, SyncTicket | null | undefined>>;
}

const EMPTY: PlanSnapshot = { vision: '', goals: [], metrics: [] };

export class PlanSession {
  readonly live: LiveDocument;
  /** The plan as it stands, read again after each change. */
  plan: PlanSnapshot = $state.raw(EMPTY);
  private readonly stop: () => void;

  constructor(private readonly options: PlanSessionOptions) {
    this.live = new LiveDocument({
      workspaceId: options.workspaceId,
      documentId: options.planId,
      me: options.me,
      canWrite: options.canEdit,
      readOnlyReason: 'View only',
      initialTicket: options.tickets[options.planId],
    });
    const doc = this.live.doc;
    const read = () => {
      this.plan = readPlan(doc, options.template);
    };
    // After each transaction (one read per transaction, not per change inside it).
    doc.on('afterTransaction', read);
    read();
    this.stop = () => doc.off('afterTransaction', read);
  }

  get doc(): Y.Doc {
    return this.live.doc;
  }

  /** The vision's rich text, for the editor. */
  vision(): Y.XmlFragment {
    return visionText(this.doc);
  }

  goalStatement(goalId: string): Y.XmlFragment {
    return goalText(this.doc, goalId, 'statement');
  }

  goalTitle(goalId: string): Y.Text {
    return goalText(this.doc, goalId, 'title');
  }

  stepTitle(goalId: string, stepId: string): Y.Text {
    return stepTitle(this.doc, goalId, stepId);
  }

  /** Adds a goal to an area (addressing some rated items); returns its id. */
  addGoal(area: string, title: string, indicators: readonly string[] = []): string {
    return addGoal(this.doc, this.options.template, {
      area,
      title,
      createdBy: this.options.me.id,
      owners: [],
      indicators,
    });
  }

  updateGoal(goalId: string, fields: GoalFields): string | null {
    return this.attempt(() => updateGoal(this.doc, this.options.template, goalId, fields));
  }

  removeGoal(goalId: string): void {
    removeGoal(this.doc, goalId);
  }

  addStep(goalId: string, title: string): string {
    return addActionStep(this.doc, goalId, { title });
  }

  updateStep(goalId: string, stepId: string, fields: StepFields): string | null {
    return this.attempt(() => updateActionStep(this.doc, goalId, stepId, fields));
  }

  removeStep(goalId: string, stepId: string): void {
    removeActionStep(this.doc, goalId, stepId);
  }

  /** Puts a goal at `index` among the goals of `area` (its own by default). */
  moveGoal(goalId: string, index: number, area?: string): string | null {
    return this.attempt(() => moveGoal(this.doc, this.options.template, goalId, { index, area }));
  }

  moveStep(goalId: string, stepId: string, index: number): string | null {
    return this.attempt(() =>
      moveActionStep(this.doc, this.options.template, goalId, stepId, index),
    );
  }

  addMetric(input: MetricInput): string {
    return addMetric(this.doc, this.options.template, input);
  }

  /**
   * Adds several metrics in one change (the School Planning Tool's measures at once), a
   * millisecond apart so they read back in the order given.
   */
  addMetrics(inputs: readonly MetricInput[]): void {
    const now = Date.now();
    this.doc.transact(() => {
      inputs.forEach((input, i) =>
        addMetric(this.doc, this.options.template, {
          ...input,
          // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a timestamp written once, not state
          createdAt: new Date(now + i).toISOString(),
        }),
      );
    });
  }

  updateMetric(metricId: string, fields: MetricFields): string | null {
    return this.attempt(() => updateMetric(this.doc, metricId, fields));
  }

  /** Sets (or with null clears) one subgroup's baseline or target. */
  setMetricValue(
    metricId: string,
    which: 'baseline' | 'target',
    subgroup: string,
    value: number | null,
  ): string | null {
    return this.attempt(() =>
      setMetricValues(this.doc, this.options.template, metricId, {
        [which]: { [subgroup]: value },
      }),
    );
  }

  recordActual(metricId: string, actual: MetricActual): string | null {
    return this.attempt(() => recordActual(this.doc, this.options.template, metricId, actual));
  }

  removeActual(metricId: string, actual: MetricActual): string | null {
    return this.attempt(() => removeActual(this.doc, this.options.template, metricId, actual));
  }

  removeMetric(metricId: string): void {
    removeMetric(this.doc, metricId);
  }

  /** Runs a writer; its refusal (a field named, what is wrong) comes back as text. */
  private attempt(write: () => void): string | null {
    try {
      write();
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  destroy(): void {
    this.stop();
    this.live.destroy();
  }
}
