/**
 * 我的待办 a page at a time: the pages of a group, read one after another, are exactly
 * that group of the whole day, in order, whatever the page size; counts and offsets say
 * what is left.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byName } from '../../shared/users.ts';
import { worklistFor, type WorkSource } from '../../shared/worklist.ts';
import {
  sidebarPage,
  worklistPage,
  WORK_GROUPS,
  type WorkGroup,
} from '../../shared/worklistPage.ts';
import { NOW } from './fixture.ts';
import { teamDay, type TeamDay } from './teamDay.ts';

let day: TeamDay;
let source: WorkSource;
let people: TeamDay['people'];

beforeAll(async () => {
  day = await teamDay();
  ({ source, people } = day);
});

afterAll(() => day.close());

const key = (i: { kind: string; customerId: string; ref: string; due: string }) =>
  `${i.kind} ${i.customerId} ${i.ref} ${i.due}`;

describe('worklistPage', () => {
  it.each(['张伟', '李娜', '邓超', '黄志强', '系统管理员'])(
    '%s: pages of every size add up to the whole day, group by group',
    (name) => {
      const person = byName(people, name)!;
      const whole = worklistFor(source, person, NOW).items;
      const inGroup = (g: WorkGroup) =>
        whole.filter((i) => i.overdueDays > 0 === (g === 'overdue')).map(key);
      for (const limit of [1, 2, 3, 100]) {
        const first = worklistPage(source, person, NOW, { limit });
        expect(first.total).toEqual({
          overdue: inGroup('overdue').length,
          today: inGroup('today').length,
        });
        for (const group of WORK_GROUPS) {
          const seen = first.items
            .filter((i) => i.overdueDays > 0 === (group === 'overdue'))
            .map(key);
          let next = first.next[group];
          while (next !== null) {
            expect(next).toBe(seen.length);
            const more = worklistPage(source, person, NOW, { limit, group, offset: next });
            expect(more.items.length).toBeLessThanOrEqual(limit);
            seen.push(...more.items.map(key));
            next = more.next[group];
          }
          expect(seen).toEqual(inGroup(group));
        }
      }
    },
  );

  it('an offset past the end is an empty page with nothing next', () => {
    const page = worklistPage(source, byName(people, '张伟')!, NOW, {
      limit: 10,
      group: 'overdue',
      offset: 50,
    });
    expect(page.items).toEqual([]);
    expect(page.next).toEqual({ overdue: null, today: null });
    expect(page.total.overdue).toBe(3);
  });

  it('takes only known groups and whole offsets from the sidebar', () => {
    expect(sidebarPage(undefined, undefined)).toEqual({ limit: 100 });
    expect(sidebarPage('today', 200)).toEqual({ limit: 100, group: 'today', offset: 200 });
    expect(sidebarPage('today', '-5')).toEqual({ limit: 100, group: 'today', offset: 0 });
    expect(sidebarPage('everything', 3)).toEqual({ limit: 100 });
  });
});
