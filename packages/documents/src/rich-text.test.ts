import { maPlnDistrictConditions as rubric } from '@concord/rubric-core/templates';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createAssessment, indicatorEvidence, readAssessment } from './assessment.js';
import { MAX_DEPTH, replaceRichText } from './rich-text.js';
import { reload } from './test-fixtures.js';
import { asFragment, textOf } from './values.js';

/** A block element with children, as y-prosemirror builds it from a ProseMirror node. */
function el(name: string, ...children: (Y.XmlElement | Y.XmlText)[]): Y.XmlElement {
  const element = new Y.XmlElement(name);
  element.insert(0, children);
  return element;
}

/** An XmlText from a delta: marks are attributes named by mark, valued by the mark's attrs. */
function text(...ops: { insert: string; attributes?: Record<string, unknown> }[]): Y.XmlText {
  const t = new Y.XmlText();
  t.applyDelta(ops);
  return t;
}

/** A fragment in a document (types only hold content once integrated). */
function fragmentWith(...blocks: Y.XmlElement[]): Y.XmlFragment {
  const fragment = new Y.Doc().getXmlFragment('f');
  fragment.insert(0, blocks);
  return fragment;
}

describe('textOf on rich text', () => {
  it('reads what Tiptap StarterKit writes: blocks by line, lists flattened, marks dropped', () => {
    const fragment = fragmentWith(
      el('heading', text({ insert: 'Evidence' })),
      el(
        'paragraph',
        text(
          { insert: 'Board ' },
          { insert: 'minutes', attributes: { bold: {} } },
          { insert: ', see ' },
          { insert: 'the portal', attributes: { link: { href: 'https://example.org' } } },
        ),
      ),
      el(
        'bulletList',
        el('listItem', el('paragraph', text({ insert: 'Sept. 14' }))),
        el(
          'listItem',
          el('paragraph', text({ insert: 'Oct. 3' })),
          el('orderedList', el('listItem', el('paragraph', text({ insert: 'nested' })))),
        ),
      ),
      el('paragraph'),
      el('paragraph', text({ insert: 'one' }), el('hardBreak'), text({ insert: 'two' })),
    );
    expect(textOf(fragment)).toBe(
      'Evidence\nBoard minutes, see the portal\nSept. 14\nOct. 3\nnested\n\none\ntwo',
    );
  });

  it('reads a v1 Y.Text as it is, and an XmlText without its formatting tags', () => {
    const doc = new Y.Doc();
    const plain = doc.getText('plain');
    plain.insert(0, 'line one\nline two');
    const xml = doc.get('xml', Y.XmlText);
    xml.applyDelta([{ insert: 'bold', attributes: { bold: {} } }]);
    expect(textOf(plain)).toBe('line one\nline two');
    expect(xml.toString()).toContain('<bold>'); // why textOf does not use toString
    expect(textOf(xml)).toBe('bold');
  });

  // An explicit budget with room to spare on a busy machine; the work itself is bounded below.
  it('reads junk as no text and does not overflow on deep nesting', { timeout: 30_000 }, () => {
    expect(textOf(undefined)).toBe('');
    expect(textOf(42)).toBe('');
    expect(textOf(new Y.Map())).toBe('');
    // Built one level at a time, as a client's updates would nest it. Each level is a
    // transaction whose events walk every ancestor (quadratic), so the depth is a few times the
    // reader's limit, not thousands: the text below the limit is dropped all the same.
    const fragment = fragmentWith(el('paragraph', text({ insert: 'top' })));
    let parent: Y.XmlFragment = fragment;
    for (let i = 0; i < MAX_DEPTH * 3; i++) {
      const quote = new Y.XmlElement('blockquote');
      parent.insert(parent.length, [quote]);
      parent = quote;
    }
    parent.insert(0, [el('paragraph', text({ insert: 'too deep' }))]);
    expect(textOf(fragment)).toBe('top');
  });

  it('asFragment takes a field, not an element inside one', () => {
    const fragment = fragmentWith(el('paragraph'));
    expect(asFragment(fragment)).toBe(fragment);
    expect(asFragment(fragment.get(0))).toBeUndefined();
    expect(asFragment(new Y.Text())).toBeUndefined();
  });
});

describe('replaceRichText', () => {
  it.each([
    ['one line', 'Minutes, Sept.'],
    ['several lines', 'first\nsecond\n\nfourth'],
    ['a trailing newline', 'ends here\n'],
    ['only newlines', '\n\n'],
    ['unicode', 'Évaluation 評価 👩🏽‍🏫\nçà'],
    ['nothing', ''],
  ])('writes %s as paragraphs that read back exactly', (_, plain) => {
    const fragment = fragmentWith(el('paragraph', text({ insert: 'old' })));
    replaceRichText(fragment, plain);
    expect(textOf(fragment)).toBe(plain);
    const lines = plain === '' ? [] : plain.split('\n');
    expect(fragment.toArray().map((b) => (b as Y.XmlElement).nodeName)).toEqual(
      lines.map(() => 'paragraph'),
    );
  });

  it('writes nothing when the text is unchanged, one transaction when it is not', () => {
    const doc = new Y.Doc();
    createAssessment(doc, rubric);
    const evidence = indicatorEvidence(doc, rubric, 'dc.1.1');
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    replaceRichText(evidence, 'a\nb');
    expect(transactions).toBe(1);
    const before = Y.encodeStateVector(doc);
    replaceRichText(evidence, 'a\nb');
    expect(Y.encodeStateVector(doc)).toEqual(before);
    expect(readAssessment(reload(doc), rubric)['dc.1.1']!.evidence).toBe('a\nb');
  });
});
