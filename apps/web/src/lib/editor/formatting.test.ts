import { describe, expect, it } from 'vitest';
import { linkProblem, normaliseLink } from './formatting';

describe('link addresses', () => {
  it('accepts web and mail addresses, adding https:// to a bare domain', () => {
    expect(normaliseLink(' example.org/minutes ')).toBe('https://example.org/minutes');
    expect(linkProblem('example.org/minutes')).toBeNull();
    expect(linkProblem('https://example.org')).toBeNull();
    expect(linkProblem('mailto:board@revere.k12.ma.us')).toBeNull();
  });

  it('refuses scripts, empty and overlong addresses, saying what to do', () => {
    expect(linkProblem('javascript:alert(1)')).toMatch(/web \(https:\/\/\) or email/);
    expect(linkProblem('   ')).toMatch(/Enter a web address/);
    expect(linkProblem(`https://example.org/${'x'.repeat(2_100)}`)).toMatch(/at most 2,048/);
  });
});
