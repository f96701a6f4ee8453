/**
 * Which pending responses the next publication step may take in.
 *
 * A figure read twice must never differ by fewer than k people: with n = 5 and mean 4.8,
 * then n = 6 and mean 4.333, 6 × 4.333 − 5 × 4.8 = 2 is the sixth person's rating. So
 * published figures move in steps. A step adds a batch B of pending responses to the
 * published set P, and every published figure is computed from P alone (one set for every
 * table, so a table's total still equals the sum of its cells and complementary
 * suppression still holds).
 *
 * The rule for B, per *partition* (a dimension's segments, for the respondent counts; the
 * same segments among those who rated one competency, for that competency's figures):
 * - every cell that P already shows (n ≥ k) gains 0 or at least k of B;
 * - the cells P hides as small (n < k, empty ones included) gain 0 or at least k of B
 *   together; except, for a competency's partition, while fewer than k have rated that
 *   competency at all: then every figure about it is hidden (the focus, its segments, its
 *   ways of learning), so there is no earlier figure to subtract from. Respondent counts
 *   get no such exception, since response rates show them at any size.
 *
 * Why that is enough for one partition: an observer sees, at each read, the shown cells
 * and the district total, so also the sum of the hidden ones. Every difference between
 * two reads that they can form from those is a sum, over disjoint "atoms", of what each
 * atom gained: a shown cell, or the union of the cells that were small at the earlier
 * read (small cells only ever grow out of that union, never into it, and a step checks
 * both the cells that leave it and the union that remains). Each atom gains 0 or ≥ k per
 * step, and steps add up, so so does any such difference, between any two reads. The
 * district figure of a competency is the sum of its school cells, and the figures inside
 * a cell (breadth, interest, ways of learning) are counts over the same people, so they
 * move with it. What this does not settle is a combination *across* partitions (a school
 * cell against an overlapping role cell): that is the linked-tables audit of the
 * confidentiality contract, which applies to each published snapshot alike.
 *
 * Choosing B: start from every pending response and, while some atom gains between 1 and
 * k − 1, drop that atom's members (it can only reach 0: B can only shrink). A union of two
 * batches that keep the rule keeps it, so there is one largest such batch, and this
 * peeling finds it whatever the order. Responses left out stay pending and are offered
 * again at the next read, with whatever arrived since.
 */
export interface PendingResponse<Dimension extends string = string> {
  /** The stored row's key. */
  key: number;
  /** The response's segment in each dimension, '' where not stated. */
  segments: Readonly<Record<Dimension, string>>;
  /** Competencies it rated on both scales. */
  rated: readonly string[];
}

/** Published n per cell, looked up by the same keys as `respondentCell` and `ratingCell`. */
export interface PublishedCounts {
  respondents: ReadonlyMap<string, number>;
  ratings: ReadonlyMap<string, number>;
}

export const respondentCell = (dimension: string, segment: string) => JSON.stringify([dimension, segment]);
export const ratingCell = (dimension: string, segment: string, competencyId: string) =>
  JSON.stringify([dimension, segment, competencyId]);

/**
 * The keys of the largest batch of `pending` the next step may publish (possibly none),
 * given what is published now and the campaign's minimum group size k.
 */
export function publishableBatch<Dimension extends string>(
  pending: readonly PendingResponse<Dimension>[],
  published: PublishedCounts,
  dimensions: readonly Dimension[],
  k: number,
): Set<number> {
  // How many have rated each competency (any one dimension's cells add up to it).
  const raters = new Map<string, number>();
  for (const [cell, n] of published.ratings) {
    const [dimension, , competencyId = ''] = JSON.parse(cell) as string[];
    if (dimension === dimensions[0]) raters.set(competencyId, (raters.get(competencyId) ?? 0) + n);
  }
  // Each response's atoms: per partition, its own cell when that cell is shown, else the
  // partition's union of small cells (none for a competency still hidden as a whole).
  const members = new Map<string, number[]>();
  const atomsOf = pending.map((response, index) => {
    const atoms: string[] = [];
    const join = (atom: string) => {
      atoms.push(atom);
      const list = members.get(atom);
      if (list) list.push(index);
      else members.set(atom, [index]);
    };
    for (const dimension of dimensions) {
      const segment = response.segments[dimension];
      const cell = respondentCell(dimension, segment);
      join((published.respondents.get(cell) ?? 0) >= k ? cell : `small ${JSON.stringify([dimension])}`);
      for (const competencyId of response.rated) {
        const rated = ratingCell(dimension, segment, competencyId);
        if ((published.ratings.get(rated) ?? 0) >= k) join(rated);
        else if ((raters.get(competencyId) ?? 0) >= k) join(`small ${JSON.stringify([dimension, competencyId])}`);
      }
    }
    return atoms;
  });

  const gain = new Map([...members].map(([atom, list]) => [atom, list.length]));
  const violates = (atom: string) => {
    const n = gain.get(atom) ?? 0;
    return n > 0 && n < k;
  };
  const queue = [...members.keys()].filter(violates);
  const dropped = new Uint8Array(pending.length);
  while (queue.length > 0) {
    const atom = queue.pop() as string;
    if (!violates(atom)) continue;
    for (const index of members.get(atom) ?? []) {
      if (dropped[index]) continue;
      dropped[index] = 1;
      for (const other of atomsOf[index] ?? []) {
        gain.set(other, (gain.get(other) ?? 0) - 1);
        if (violates(other)) queue.push(other);
      }
    }
  }
  return new Set(pending.filter((_, index) => !dropped[index]).map((response) => response.key));
}
