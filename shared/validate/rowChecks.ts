/** The checks of each data tab that look at more than one cell of a row. */
import * as T from '../../sheets-templates/tabs.ts';
import type { ColumnKey, TabDef } from '../../sheets-templates/types.ts';
import { RESOLVED_TICKET_STATUSES } from '../../sheets-templates/values.ts';
import { dateOf, formatDate, type EpochDay } from '../calendar.ts';
import { valuesOf, type ParsedRow, type ProblemSink, type RowCheck } from './types.ts';

/** A warning for a row dated after today, which the statistics leave out for now. */
function futureCheck<T extends TabDef>(
  tab: T,
  key: ColumnKey<T>,
  today: EpochDay,
  toDay: (x: number) => EpochDay,
) {
  const column = T.column(tab, key);
  return (row: ParsedRow, report: ProblemSink): void => {
    const value = row.values[key];
    if (typeof value === 'number' && toDay(value) > today) {
      report(
        row.row,
        column,
        '',
        `“${column.header}”${formatDate(toDay(value))} 晚于今天：本行暂不参与统计和回访计算`,
        '警告',
      );
    }
  };
}

/** The checks of each data tab that look at more than one cell of a row. */
export function rowChecks(today: EpochDay): ReadonlyMap<string, RowCheck> {
  const customerFuture = futureCheck(T.CUSTOMERS, 'createdDate', today, (d) => d);
  const ticketFuture = futureCheck(T.TICKETS, 'createdAt', today, dateOf);
  const customerCol = (key: ColumnKey<typeof T.CUSTOMERS>) => T.column(T.CUSTOMERS, key);
  const ticketCol = (key: ColumnKey<typeof T.TICKETS>) => T.column(T.TICKETS, key);
  return new Map<string, RowCheck>([
    [
      T.CUSTOMERS.key,
      (row, report) => {
        const x = valuesOf(T.CUSTOMERS, row);
        // An invalid phone or email alone is a 警告 (reported by parseRows); with neither
        // valid the customer cannot be reached, which is an 错误.
        if (x.phone === null && x.email === null) {
          report(
            row.row,
            customerCol('phone'),
            '',
            '联系电话和邮箱都没有有效值：至少填写一个有效的手机/座机号或邮箱',
            '错误',
          );
        }
        if (x.status === '潜在' && x.intent === null) {
          report(
            row.row,
            customerCol('intent'),
            '',
            '潜在客户必须填写意向等级（A/B/C）；同步时未填的暂按 C 级安排跟进',
            '警告',
          );
        }
        const signed = x.signedDate;
        const end = x.contractEnd;
        if (signed !== null && end !== null && end <= signed) {
          report(
            row.row,
            customerCol('contractEnd'),
            formatDate(end),
            `合同到期日应晚于签约日期 ${formatDate(signed)}`,
            '警告',
          );
        }
        customerFuture(row, report);
      },
    ],
    [T.ORDERS.key, futureCheck(T.ORDERS, 'orderDate', today, (d) => d)],
    [T.FOLLOW_UPS.key, futureCheck(T.FOLLOW_UPS, 'time', today, dateOf)],
    [
      T.TICKETS.key,
      (row, report) => {
        const x = valuesOf(T.TICKETS, row);
        // A row with an 错误 may miss even a required value.
        const created: number | null = x.createdAt;
        const responded = x.respondedAt;
        const resolved = x.resolvedAt;
        const status: string | null = x.status;
        if (created !== null && responded !== null && responded < created)
          report(
            row.row,
            ticketCol('respondedAt'),
            '',
            '首次响应时间早于创建时间：请检查两个时间',
            '错误',
          );
        if (created !== null && resolved !== null && resolved < created)
          report(
            row.row,
            ticketCol('resolvedAt'),
            '',
            '解决时间早于创建时间：请检查两个时间',
            '错误',
          );
        const closedStatus =
          status !== null && (RESOLVED_TICKET_STATUSES as readonly string[]).includes(status);
        if (resolved !== null && status !== null && !closedStatus)
          report(
            row.row,
            ticketCol('status'),
            status,
            `已填解决时间但状态为“${status}”：应为已解决或已关闭；暂按未解决处理`,
            '警告',
          );
        if (resolved === null && closedStatus)
          report(
            row.row,
            ticketCol('resolvedAt'),
            '',
            `状态为“${status}”但未填解决时间：请填写解决时间；暂按未解决处理`,
            '警告',
          );
        if (x.satisfaction !== null && !(closedStatus && resolved !== null))
          report(
            row.row,
            ticketCol('satisfaction'),
            String(x.satisfaction),
            '工单未解决时不应填写满意度',
            '警告',
          );
        if (closedStatus && resolved !== null && responded === null)
          report(
            row.row,
            ticketCol('respondedAt'),
            '',
            '已解决的工单未填首次响应时间：按解决时间计为响应',
            '警告',
          );
        ticketFuture(row, report);
      },
    ],
    [T.VISITS.key, futureCheck(T.VISITS, 'time', today, dateOf)],
  ]);
}
