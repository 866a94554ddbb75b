/**
 * Reliability data: the shared input of every agreement statistic in this folder, its checks, and
 * the per-unit value tally those statistics are computed from.
 *
 * Orientation is `data[unit][rater]`: one row per unit (in Concord a unit is an indicator), one
 * column per rater. Krippendorff prints reliability data the other way round, coders as rows and
 * units as columns (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability", Annenberg
 * School for Communication, repository.upenn.edu/asc_papers/43), so transpose his tables when
 * copying them in. Unit-first suits us because both alpha and Fleiss' kappa are computed unit by
 * unit from the multiset of values each unit received.
 *
 * `null` is a missing rating. Rows may differ in length: positions past the end of a short row are
 * missing too. We accept ragged rows rather than reject them because neither alpha nor Fleiss'
 * kappa uses rater identity, only how many raters gave each value in each unit; Fleiss' kappa
 * checks the thing that does matter to it (equal rating counts per unit) itself.
 *
 * Invalid input (not an array, NaN, ±Infinity, a non-number, an `undefined` hole) is reported as a
 * value with a reason, never thrown, like template/parse.ts: these statistics end up in reports,
 * and one bad cell should produce an explanation there rather than a crash. Non-finite numbers are
 * rejected because they would make every distance, and so the statistic, NaN.
 */

/** A rating: any finite number, or `null` when the rater did not rate the unit. */
export type Rating = number | null;

/** Ratings indexed `[unit][rater]`; see the module comment for why this orientation. */
export type ReliabilityData = ReadonlyArray<ReadonlyArray<Rating>>;

export type DataCheck = { ok: true } | { ok: false; reason: string };

function describeBad(value: unknown): string {
  if (value === undefined) return 'undefined (an empty slot?)';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (value === null) return 'null';
  const type = typeof value;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/**
 * Checks that `data` is an array of unit rows whose entries are finite numbers or null. Takes
 * `unknown` so it also guards data that arrived as JSON.
 */
export function checkReliabilityData(data: unknown): DataCheck {
  if (!Array.isArray(data)) {
    return {
      ok: false,
      reason: 'reliability data must be an array of units, each an array of ratings',
    };
  }
  let firstBad: string | null = null;
  let badCount = 0;
  for (let u = 0; u < data.length; u++) {
    const row: unknown = data[u];
    if (!Array.isArray(row)) {
      return {
        ok: false,
        reason: `data[${u}] is ${describeBad(row)}, not an array; each unit must be an array of ratings indexed by rater`,
      };
    }
    for (let r = 0; r < row.length; r++) {
      const v: unknown = row[r];
      if (v === null) continue;
      if (typeof v === 'number' && Number.isFinite(v)) continue;
      badCount++;
      firstBad ??= `data[${u}][${r}] is ${describeBad(v)}`;
    }
  }
  if (firstBad !== null) {
    const more =
      badCount > 1 ? ` (and ${badCount - 1} more invalid rating${badCount > 2 ? 's' : ''})` : '';
    return {
      ok: false,
      reason: `${firstBad}${more}; ratings must be finite numbers, or null for a missing rating`,
    };
  }
  return { ok: true };
}

/** How many raters gave each value in one unit. */
export interface UnitTally {
  /** Row index of the unit in the input, so callers can point back at it. */
  unit: number;
  /** Number of non-null ratings in the unit (Krippendorff's m_u). */
  total: number;
  /** Indices into `Tally.values` of the distinct values in this unit, in first-seen order. */
  valueIndex: number[];
  /** `counts[i]` raters gave `values[valueIndex[i]]` (Krippendorff's n_uc). */
  counts: number[];
}

export interface Tally {
  /** Distinct values over the kept units, ascending. */
  values: number[];
  /** Units with at least `minRatings` ratings, in input order. */
  units: UnitTally[];
  /** Units left out because they had fewer than `minRatings` ratings. */
  dropped: number;
}

/**
 * Per-unit value counts, over units with at least `minRatings` non-null ratings. Values from left
 * out units are not in `values`, because for alpha a lone rating is unpairable and must not shift
 * the marginal frequencies (which the ordinal metric ranks by). Assumes `checkReliabilityData`
 * passed.
 *
 * Counting into a scratch array indexed by value keeps this O(ratings + distinct values) instead of
 * comparing ratings pairwise within a unit. Rating scales are nearly always small integers, so
 * those are mapped to indices through a lookup table; a hash map is the fallback for anything else
 * (hashing every rating costs several times more than the rest of alpha put together).
 */
export function tallyUnits(data: ReliabilityData, minRatings: number): Tally {
  const totals = new Array<number>(data.length);
  let min = Infinity;
  let max = -Infinity;
  let kept = 0;
  let int32 = true;
  for (let u = 0; u < data.length; u++) {
    const row = data[u] ?? [];
    let m = 0;
    let lo = Infinity;
    let hi = -Infinity;
    let rowInt = true;
    for (let r = 0; r < row.length; r++) {
      const v = row[r];
      if (v === null || v === undefined) continue;
      m++;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      if ((v | 0) !== v) rowInt = false;
    }
    totals[u] = m;
    if (m < minRatings) continue;
    kept += m;
    if (lo < min) min = lo;
    if (hi > max) max = hi;
    if (!rowInt) int32 = false;
  }

  // Provisional ids: offset from the minimum when ratings are integers in a modest range (the
  // table's size is bounded by the input size, so it costs no more than the counting), else the
  // order of first appearance via a hash map. Either way they are remapped to ranks below.
  const useTable = kept > 0 && int32 && max - min < Math.max(256, 2 * kept);
  const idCount = useTable ? max - min + 1 : 0;
  const seen = useTable ? null : new Map<number, number>();
  const firstSeen: number[] = [];
  const present = new Uint8Array(idCount);
  let scratch = new Float64Array(useTable ? idCount : 16);

  const units: UnitTally[] = [];
  let dropped = 0;
  for (let u = 0; u < data.length; u++) {
    const total = totals[u] ?? 0;
    if (total < minRatings) {
      dropped++;
      continue;
    }
    const row = data[u] ?? [];
    const valueIndex: number[] = [];
    for (let r = 0; r < row.length; r++) {
      const v = row[r];
      if (v === null || v === undefined) continue;
      let id: number;
      if (seen) {
        const known = seen.get(v);
        if (known === undefined) {
          id = firstSeen.length;
          seen.set(v, id);
          firstSeen.push(v);
          if (id >= scratch.length) {
            const grown = new Float64Array(scratch.length * 2);
            grown.set(scratch);
            scratch = grown;
          }
        } else {
          id = known;
        }
      } else {
        id = v - min;
      }
      const before = scratch[id] ?? 0;
      if (before === 0) valueIndex.push(id);
      scratch[id] = before + 1;
    }
    const counts = new Array<number>(valueIndex.length);
    for (let a = 0; a < valueIndex.length; a++) {
      const id = valueIndex[a] ?? 0;
      counts[a] = scratch[id] ?? 0;
      scratch[id] = 0;
      if (!seen) present[id] = 1;
    }
    units.push({ unit: u, total, valueIndex, counts });
  }

  const values: number[] = [];
  let rank: Int32Array;
  if (seen) {
    // -0 and 0 are one value (Map uses SameValueZero), as on any rating scale.
    const order = firstSeen
      .map((_, id) => id)
      .sort((a, b) => (firstSeen[a] ?? 0) - (firstSeen[b] ?? 0));
    rank = new Int32Array(firstSeen.length);
    order.forEach((id, i) => {
      rank[id] = i;
      values.push((firstSeen[id] ?? 0) + 0); // + 0 turns -0 into 0
    });
  } else {
    rank = new Int32Array(idCount);
    for (let id = 0; id < idCount; id++) {
      if (present[id] !== 1) continue;
      rank[id] = values.length;
      values.push(id + min); // the addition also turns a -0 rating into 0
    }
  }
  for (const unit of units) {
    const vi = unit.valueIndex;
    for (let a = 0; a < vi.length; a++) vi[a] = rank[vi[a] ?? 0] ?? 0;
  }
  return { values, units, dropped };
}
