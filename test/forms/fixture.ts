/** A small workbook for the form tests: a few customers, tickets and visits in mid-2024. */
import * as T from '../../sheets-templates/tabs.ts';
import type { TabDef } from '../../sheets-templates/types.ts';
import type { SampleRow } from '../../sync-server/workbook/sample/index.ts';
import { daysFromCivil, startOfDay, type WallSeconds } from '../../shared/calendar.ts';
import type { RawCell } from '../../shared/cells.ts';
import { MemoryStore, type MemoryStoreOptions } from '../helpers/memoryStore.ts';
import { customerCells } from '../helpers/customer.ts';

/** 2024-06-15 10:30 in the workbook's time zone. */
export const NOW: WallSeconds = startOfDay(daysFromCivil(2024, 6, 15)) + 10 * 3600 + 30 * 60;
/** The same moment as an instant, for clocks (Asia/Shanghai is UTC+8). */
export const NOW_MS = Date.UTC(2024, 5, 15, 2, 30);

export const USER = '李明';

type Row = Record<string, RawCell>;

export const customer = customerCells;

export const CUSTOMER_ROWS: Row[] = [
  customer(),
  customer({
    客户编号: 'P20240003',
    客户类型: '个人',
    客户名称: '张伟',
    联系人: null,
    联系电话: '139 1234 5678',
    客户状态: '潜在',
    意向等级: 'A',
    签约日期: null,
    建档日期: '2024-03-10',
  }),
  customer({ 客户编号: 'E20240007', 客户名称: '宁波海川贸易有限公司', 联系电话: '0574-88886666' }),
  customer({ 客户编号: 'E20230099', 客户名称: '苏州远景制造有限公司', 建档日期: '2023-11-02' }),
  customer({
    客户编号: 'E20240008x',
    客户名称: '编号不规范的客户',
    联系电话: '13700001111',
  }),
];

export const TICKET_ROWS: Row[] = [
  {
    工单编号: 'T20240001',
    客户编号: 'E20240001',
    工单类型: '产品质量',
    问题描述: '设备异响',
    紧急程度: '高',
    处理部门: '质量部',
    创建时间: '2024-06-10 09:00',
    状态: '新建',
  },
  {
    工单编号: 'T20240002',
    客户编号: 'E20240007',
    工单类型: '物流配送',
    问题描述: '到货延迟',
    紧急程度: '中',
    处理部门: '运营部',
    创建时间: '2024-05-02 14:00',
    首次响应时间: '2024-05-02 15:00',
    解决时间: '2024-05-03 10:00',
    状态: '已解决',
    满意度: 4,
  },
];

export const VISIT_ROWS: Row[] = [
  {
    回访编号: 'V20240001',
    客户编号: 'E20240001',
    回访时间: '2024-06-12 15:00',
    回访方式: '电话',
    回访人: '赵雷',
    产品满意度: '好',
    服务满意度: '较好',
  },
  {
    回访编号: 'V20240002',
    客户编号: 'E20240007',
    回访时间: '2024-05-20 10:00',
    回访方式: '面谈',
    回访人: '赵雷',
    审核人: '周经理',
    审核日期: '2024-05-21',
  },
];

export const ROUTING_ROWS: Row[] = [
  // A manager's own routing: the form must read it, not the defaults.
  { 工单类型: '产品质量', 处理部门: '质量部' },
  { 工单类型: '服务响应', 处理部门: '运营部' },
];

export function sampleStore(options: MemoryStoreOptions = {}): MemoryStore {
  return MemoryStore.of(
    [
      [T.CUSTOMERS, CUSTOMER_ROWS],
      [T.FOLLOW_UPS, []],
      [T.TICKETS, TICKET_ROWS],
      [T.VISITS, VISIT_ROWS],
      [T.TICKET_ROUTING, ROUTING_ROWS],
      [T.SETTINGS_TAB, []],
    ],
    options,
  );
}

/** A complete, valid 新建客户 payload. */
export const newCustomerPayload = (extra: Record<string, string> = {}): Record<string, string> => ({
  kind: '企业',
  name: '上海星河物流有限公司',
  contact: '陈静',
  phone: '021-66668888',
  email: 'chen@xinghe.example.com',
  industry: '物流',
  source: '展会推广',
  level: '普通客户',
  status: '潜在',
  intent: 'B',
  owner: '李明',
  createdDate: '2024-06-15',
  ...extra,
});

/** A fixture row (by header) as the template writer takes it (by column key). */
export const byKey = (tab: TabDef, row: Record<string, RawCell>): SampleRow =>
  Object.fromEntries(
    Object.entries(row).map(([header, value]) => [
      tab.columns.find((c) => c.header === header)!.key,
      value === undefined || typeof value === 'boolean' ? null : value,
    ]),
  );
