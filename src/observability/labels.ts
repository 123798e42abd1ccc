/**
 * A label whose values come from clients (GraphQL operation names, tenants): the first `max`
 * distinct values are kept as they are, every later one is counted as `other`. Prometheus keeps one
 * series per label value, so an unbounded label (a client inventing operation names) would grow the
 * scrape and the server's memory without end; the first names seen are, in practice, the ones the
 * deployment's own clients use.
 */
export const OTHER = 'other';

/** How many distinct values a client-chosen label keeps before the rest become `other`. */
export const MAX_LABEL_VALUES = 100;

export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(private readonly max = MAX_LABEL_VALUES) {}

  of(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max) return OTHER;
    this.seen.add(value);
    return value;
  }
}
