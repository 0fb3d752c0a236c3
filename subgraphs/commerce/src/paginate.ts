// Page-based listing in one database round trip: $facet returns the page and the total together.
import type { Collection, Document, Filter, Sort } from 'mongodb';

export interface Page<T> {
  data: T[];
  pagination: { page: number; limit: number; total: number; pages: number };
}

export async function paginate<T extends Document>(
  collection: Collection<T>,
  filter: Filter<T>,
  sort: Sort & Record<string, 1 | -1>,
  page: number,
  limit: number,
): Promise<Page<T>> {
  const [result] = await collection
    .aggregate<{ data: T[]; total: { n: number }[] }>([
      { $match: filter },
      { $facet: { data: [{ $sort: sort }, { $skip: (page - 1) * limit }, { $limit: limit }], total: [{ $count: 'n' }] } },
    ])
    .toArray();
  const total = result?.total[0]?.n ?? 0;
  return { data: result?.data ?? [], pagination: { page, limit, total, pages: Math.ceil(total / limit) } };
}
