/** `GET /api/worklist`'s paging parameters, checked: `limit`, `group` and `offset`. */
import { z } from 'zod';
import {
  DEFAULT_PAGE_LIMIT,
  MAX_PAGE_LIMIT,
  WORK_GROUPS,
  type PageRequest,
} from '../../shared/worklistPage.ts';
import { HttpError } from '../http/errors.ts';

const whole = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,7}$/, { error: `${name} 应为整数` })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { error: `${name} 应不小于 ${min}` })
        .max(max, { error: `${name} 应不大于 ${max}` }),
    );

const schema = z.object({
  limit: whole('limit', 1, MAX_PAGE_LIMIT).optional(),
  group: z.enum(WORK_GROUPS, { error: `group 应为 ${WORK_GROUPS.join(' 或 ')}` }).optional(),
  offset: whole('offset', 0, 10_000_000).optional(),
});

export function pageParams(query: unknown): PageRequest {
  const parsed = schema.safeParse(query);
  if (!parsed.success)
    throw new HttpError(400, 'bad_request', parsed.error.issues.map((i) => i.message).join('；'));
  const { limit, group, offset } = parsed.data;
  if (offset !== undefined && group === undefined)
    throw new HttpError(400, 'bad_request', 'offset 须与 group（overdue 或 today）一起使用');
  const page: PageRequest = { limit: limit ?? DEFAULT_PAGE_LIMIT };
  if (group !== undefined) page.group = group;
  if (offset !== undefined) page.offset = offset;
  return page;
}
