/**
 * Server-renders the template page with small fixtures of every kind (checked in a real browser
 * against the built-in templates by @concord/tests): structure, headings, tables, markers.
 */
import type { Template } from '@concord/rubric-core';
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { formatSourceDate, indicatorIds, kindLabel, referenceLabel } from '$lib/catalogue';
import { checklistFixture, planFixture, rubricFixture } from '$lib/test/fixtures';
import TemplatePage from '../../routes/templates/[id]/+page.svelte';

function renderTemplate(template: Template): string {
  const refLabels: Record<string, string> = {};
  for (const s of template.referenceSources ?? []) refLabels[s.id] = referenceLabel(s);
  const data = {
    template,
    kindLabel: kindLabel(template.kind),
    dateText: formatSourceDate(template.source.date),
    refLabels,
  };
  return render(TemplatePage, { props: { data, params: { id: template.id } } as never }).body;
}

function count(html: string, re: RegExp): number {
  return html.match(re)?.length ?? 0;
}

function renderedIndicatorIds(html: string): string[] {
  return [...html.matchAll(/data-indicator-id="([^"]+)"/g)].map((m) => m[1] ?? '');
}

describe('template page: rubric', () => {
  const html = renderTemplate(rubricFixture);

  it('marks every indicator once, in order', () => {
    expect(renderedIndicatorIds(html)).toEqual(indicatorIds(rubricFixture));
  });

  it('nests headings by depth: h1 title, h2 top sections, h3 and h4 below', () => {
    expect(count(html, /<h1[\s>]/g)).toBe(1);
    expect(html).toMatch(/<h2 id="section-fx\.a"[^>]*>.*Parent section/s);
    expect(html).toMatch(/<h3 id="section-fx\.a\.1"[^>]*>.*Child section/s);
    expect(html).toMatch(/<h4 id="section-fx\.a\.1\.x"[^>]*>.*Grandchild/s);
  });

  it('renders descriptor sections as a table with caption and scoped headers', () => {
    expect(count(html, /<table/g)).toBe(1);
    expect(html).toMatch(/<caption[^>]*>II\. Practices: what each level looks like<\/caption>/);
    expect(count(html, /<th scope="col"/g)).toBe(4); // practice + 3 levels
    expect(count(html, /<th scope="row"/g)).toBe(1);
    expect(html).toContain('High vision text.');
    expect(html).toContain('No descriptor given'); // level 2 has none
  });

  it('shows criteria, references by short name, retired marker and source', () => {
    expect(html).toContain('Criterion two');
    expect(html).toContain('CCSSO II.3.a-d');
    expect(html).toContain('LONG-SOURCE 7');
    expect(html).toMatch(/Retired/);
    expect(html).toContain('Fixture Press');
    expect(html).toContain('August 21, 2015');
    expect(html).toContain('Counts as ready at level 2 (Mid) or above.');
  });

  it('shows a section scale and the unscored note', () => {
    expect(html).toContain('This section has its own scale');
    expect(html).toMatch(/Not scored:/);
  });

  it('lists outcome measures by group with their areas and source', () => {
    expect(html).toMatch(/<h2 id="outcome-measures"/);
    expect(html).toMatch(/<h3 id="outcomes-fx\.om">Engagement<\/h3>/);
    expect(html).toContain('Belonging');
    expect(html).toContain('Survey');
  });
});

describe('template page: checklist', () => {
  const html = renderTemplate(checklistFixture);

  it('says in text which level blocks launch', () => {
    expect(html).toMatch(
      /Barrier<\/strong>.{0,40}<span class="badge badge-warning">.{0,400}Blocks launch/s,
    );
    expect(count(html, /Blocks launch/g)).toBe(1);
  });

  it('renders indicators as a list with evidence prompt', () => {
    expect(renderedIndicatorIds(html)).toEqual(['pre.a']);
    expect(html).toContain('Evidence prompt:');
    expect(html).not.toContain('<table');
  });
});

describe('template page: plan framework', () => {
  const html = renderTemplate(planFixture);

  it('renders areas, themes, phases, metrics, subgroups, statuses and assurances', () => {
    for (const id of [
      'plan-areas',
      'plan-themes',
      'plan-phases',
      'plan-metrics',
      'plan-subgroups',
      'plan-statuses',
      'plan-assurances',
    ]) {
      expect(html).toContain(`id="${id}"`);
    }
    expect(renderedIndicatorIds(html)).toEqual(indicatorIds(planFixture));
    expect(html).toContain('English learners');
    expect(html).toContain('Off track');
    expect(html).toContain('Goals and objectives');
  });

  it('labels each phase with its year once', () => {
    expect(html).toContain('Year 1: Planning');
    expect(html).toMatch(/Year 2<\/p>/);
    expect(html).not.toMatch(/Year 1<\/p>/);
  });
});
