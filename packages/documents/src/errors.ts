/**
 * The one error the writers throw: the input was wrong (an unknown indicator, a level that is not
 * on the scale, a date that is not a date). Nothing was written when it is thrown. Readers never
 * throw: they report what they cannot make sense of as absent.
 */
export class DocumentInputError extends Error {
  readonly code = 'document-input';
  constructor(readonly problems: string[]) {
    super(
      `Invalid input, the document was not changed:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'DocumentInputError';
  }
}

/** Throws DocumentInputError when `problems` is not empty. */
export function refuse(problems: readonly (string | null | undefined | false)[]): void {
  const found = problems.filter((p): p is string => typeof p === 'string');
  if (found.length > 0) throw new DocumentInputError(found);
}
