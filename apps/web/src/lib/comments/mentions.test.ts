import { describe, expect, it } from 'vitest';
import { findMentions, mentionSpans, mentionSuggestions } from './mentions';

const members = [
  { id: 'u1', name: 'Ana Rater' },
  { id: 'u2', name: 'Ben Rater' },
  { id: 'u3', name: 'Ben Owner' },
  { id: 'u4', name: 'Fay Facilitator' },
];

describe('mentions', () => {
  it('finds full names and unique first names, each once, in order', () => {
    expect(findMentions('@Fay and @ana rater, then @Ana again', members)).toEqual(['u4', 'u1']);
  });

  it('needs the full name when a first name is shared, and a word boundary', () => {
    expect(findMentions('@Ben please', members)).toEqual([]);
    expect(findMentions('@Ben Owner please', members)).toEqual(['u3']);
    expect(findMentions('@Anabel and mail@Ana', members)).toEqual([]);
  });

  it('gives where each mention is', () => {
    expect(mentionSpans('Hi @Fay!', members)).toEqual([{ id: 'u4', start: 3, end: 7 }]);
  });

  it('suggests members by the start of any part of their name', () => {
    expect(mentionSuggestions('ra', members).map((m) => m.id)).toEqual(['u1', 'u2']);
    expect(mentionSuggestions('', members)).toHaveLength(4);
  });
});
