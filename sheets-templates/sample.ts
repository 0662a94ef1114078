/**
 * A deterministic sample workbook: N customers with their orders, follow-ups, tickets
 * and visits over the 18 months before `now`, covering every path of docs/rules.md (leads
 * of each intent with and without follow-ups, signed customers with and without
 * approved visits, open/resolved/overdue tickets, contracts about to expire, birthdays
 * next week, falling order counts, lost customers).
 *
 * Rows are produced lazily, tab by tab. Each customer draws from its own random streams
 * seeded from (seed, index, purpose), so a child tab regenerates the customer facts it
 * needs without keeping any customer in memory, and the same seed and now always give
 * the same rows.
 *
 * Dates are epoch days and date-times wall seconds (shared/calendar.ts); whoever writes
 * the rows into a sheet turns them into cells.
 */
import {
  addMonths,
  civilFromDays,
  daysFromCivil,
  dateOf,
  isLeapYear,
  SECONDS_PER_DAY,
  type EpochDay,
  type WallSeconds,
} from '../shared/calendar.ts';
import { TICKET_ROUTING } from './tabs.ts';
import * as V from './values.ts';

export interface SampleOptions {
  customers: number;
  seed: number;
  now: WallSeconds;
}

export type SampleValue = string | number | null;
/** One row keyed by the template's column keys; absent keys are blank cells. */
export type SampleRow = Readonly<Record<string, SampleValue>>;

export type SampleTabKey = 'customers' | 'orders' | 'followUps' | 'tickets' | 'visits';

/** A generator per data tab, keyed like the tabs' `key`; each call starts afresh. */
export type Sample = Readonly<Record<SampleTabKey, () => Generator<SampleRow>>>;

export function isSampleTab(key: string): key is SampleTabKey {
  return (
    key === 'customers' ||
    key === 'orders' ||
    key === 'followUps' ||
    key === 'tickets' ||
    key === 'visits'
  );
}

/** Names, phones and codes are distinct up to about this many customers. */
export const MAX_SAMPLE_CUSTOMERS = 1_000_000;

export function generateSample(options: SampleOptions): Sample {
  const { customers, seed, now } = options;
  if (!Number.isSafeInteger(customers) || customers < 0 || customers > MAX_SAMPLE_CUSTOMERS) {
    throw new RangeError(`customers must be a whole number from 0 to ${MAX_SAMPLE_CUSTOMERS}`);
  }
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a number, not ${seed}`);
  if (!Number.isSafeInteger(now)) throw new RangeError(`now must be wall seconds, not ${now}`);
  const world = new World(customers, seedOf(seed), now);
  return {
    customers: () => world.customerRows(),
    orders: () => world.orderRows(),
    followUps: () => world.followUpRows(),
    tickets: () => world.ticketRows(),
    visits: () => world.visitRows(),
  };
}

// ─── randomness ───────────────────────────────────────────────────────────────────

function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function seedOf(seed: number): number {
  const whole = Math.floor(seed);
  return mix32((whole % 2 ** 32) ^ mix32(Math.floor(whole / 2 ** 32) + 0x9e3779b9));
}

/** What a stream is for; each purpose of each customer has its own stream. */
const Stream = {
  Profile: 1,
  Details: 2,
  Orders: 3,
  FollowUps: 4,
  Tickets: 5,
  Visits: 6,
} as const;
type Stream = (typeof Stream)[keyof typeof Stream];

/** mulberry32: tiny, fast, and good enough for sample data. */
class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed | 0;
  }

  static of(seed: number, index: number, stream: Stream): Rng {
    return new Rng(
      mix32(mix32(seed + Math.imul(index, 0x9e3779b1)) ^ Math.imul(stream, 0x27d4eb2f)),
    );
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return hi <= lo ? lo : lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1]![0];
  }
}

/**
 * `(a·i + b) mod m` visits every residue once when a and m are coprime, which gives
 * each customer a distinct name, phone and credit code without remembering any.
 */
function permute(index: number, modulus: number, multiplier: number, offset: number): number {
  // The product stays below 2^53 for every index this generator accepts.
  return ((index % modulus) * (multiplier % modulus) + (offset % modulus)) % modulus;
}

// ─── vocabulary ───────────────────────────────────────────────────────────────────

interface City {
  name: string;
  pinyin: string;
  region: string;
  areaCode: string;
  division: string;
  districts: readonly [string, string];
}

const city = (
  name: string,
  pinyin: string,
  region: string,
  areaCode: string,
  division: string,
  districts: readonly [string, string],
): City => ({ name, pinyin, region, areaCode, division, districts });

const CITIES: readonly City[] = [
  city('杭州', 'hangzhou', '华东', '0571', '330106', ['西湖区', '滨江区']),
  city('上海', 'shanghai', '华东', '021', '310115', ['浦东新区', '徐汇区']),
  city('南京', 'nanjing', '华东', '025', '320106', ['鼓楼区', '江宁区']),
  city('苏州', 'suzhou', '华东', '0512', '320505', ['工业园区', '姑苏区']),
  city('宁波', 'ningbo', '华东', '0574', '330212', ['鄞州区', '海曙区']),
  city('合肥', 'hefei', '华东', '0551', '340104', ['蜀山区', '包河区']),
  city('福州', 'fuzhou', '华东', '0591', '350102', ['鼓楼区', '仓山区']),
  city('厦门', 'xiamen', '华东', '0592', '350203', ['思明区', '湖里区']),
  city('青岛', 'qingdao', '华东', '0532', '370202', ['市南区', '崂山区']),
  city('济南', 'jinan', '华东', '0531', '370102', ['历下区', '槐荫区']),
  city('北京', 'beijing', '华北', '010', '110108', ['海淀区', '朝阳区']),
  city('天津', 'tianjin', '华北', '022', '120116', ['和平区', '滨海新区']),
  city('石家庄', 'shijiazhuang', '华北', '0311', '130102', ['长安区', '裕华区']),
  city('太原', 'taiyuan', '华北', '0351', '140105', ['小店区', '迎泽区']),
  city('广州', 'guangzhou', '华南', '020', '440106', ['天河区', '越秀区']),
  city('深圳', 'shenzhen', '华南', '0755', '440305', ['南山区', '福田区']),
  city('东莞', 'dongguan', '华南', '0769', '441900', ['南城街道', '东城街道']),
  city('佛山', 'foshan', '华南', '0757', '440606', ['禅城区', '顺德区']),
  city('南宁', 'nanning', '华南', '0771', '450103', ['青秀区', '西乡塘区']),
  city('武汉', 'wuhan', '华中', '027', '420103', ['江汉区', '洪山区']),
  city('长沙', 'changsha', '华中', '0731', '430104', ['岳麓区', '芙蓉区']),
  city('郑州', 'zhengzhou', '华中', '0371', '410105', ['金水区', '二七区']),
  city('成都', 'chengdu', '西南', '028', '510107', ['武侯区', '锦江区']),
  city('重庆', 'chongqing', '西南', '023', '500103', ['渝中区', '江北区']),
  city('昆明', 'kunming', '西南', '0871', '530102', ['五华区', '盘龙区']),
  city('西安', 'xian', '西北', '029', '610113', ['雁塔区', '碑林区']),
  city('兰州', 'lanzhou', '西北', '0931', '620102', ['城关区', '七里河区']),
  city('沈阳', 'shenyang', '东北', '024', '210102', ['和平区', '沈河区']),
  city('大连', 'dalian', '东北', '0411', '210202', ['中山区', '甘井子区']),
  city('哈尔滨', 'haerbin', '东北', '0451', '230103', ['南岗区', '道里区']),
];

type Word = readonly [text: string, pinyin: string];

/** `'恒heng 华hua'` → a character and its pinyin per word; tables this long read better so. */
const words = (list: string): readonly Word[] =>
  list.split(' ').map((w): Word => [w.charAt(0), w.slice(1)]);

const BRAND_FIRST = words(
  '恒heng 华hua 中zhong 鼎ding 瑞rui 博bo 天tian 鑫xin 宏hong 锦jin' +
    ' 盛sheng 凯kai 海hai 远yuan 永yong 嘉jia 德de 明ming 安an 正zheng 汇hui' +
    ' 通tong 创chuang 启qi 东dong 方fang 光guang 宇yu 顺shun 联lian 银yin' +
    ' 腾teng 晨chen 蓝lan',
);

const BRAND_SECOND = words(
  '达da 诚cheng 丰feng 合he 茂mao 润run 力li 邦bang 航hang 维wei 拓tuo' +
    ' 智zhi 康kang 赛sai 诺nuo 越yue 晖hui 辰chen 捷jie 昌chang 隆long' +
    ' 祥xiang 宁ning 美mei 森sen 朗lang 卓zhuo 驰chi 迈mai 泰tai',
);

/** Company name endings, the domain word they suggest, and the industry they imply. */
const COMPANY_KINDS: readonly (readonly [string, string, (typeof V.DEFAULT_INDUSTRIES)[number]])[] =
  [
    ['科技', 'tech', '信息技术'],
    ['信息技术', 'it', '信息技术'],
    ['软件', 'soft', '信息技术'],
    ['电子商务', 'ecom', '互联网电商'],
    ['网络科技', 'net', '互联网电商'],
    ['机械制造', 'mfg', '制造业'],
    ['精密机械', 'precision', '制造业'],
    ['电子', 'elec', '制造业'],
    ['商贸', 'trade', '批发'],
    ['贸易', 'trading', '批发'],
    ['百货', 'retail', '零售'],
    ['连锁超市', 'mart', '零售'],
    ['投资管理', 'capital', '金融'],
    ['医疗器械', 'med', '医疗健康'],
    ['生物科技', 'bio', '医疗健康'],
    ['教育科技', 'edu', '教育'],
    ['物流', 'logistics', '物流'],
    ['供应链管理', 'scm', '物流'],
    ['建设工程', 'build', '建筑'],
    ['装饰工程', 'deco', '建筑'],
    ['餐饮管理', 'food', '餐饮服务'],
    ['实业', 'group', '其他'],
  ];

const SURNAMES = words(
  '王wang 李li 张zhang 刘liu 陈chen 杨yang 黄huang 赵zhao 吴wu 周zhou 徐xu' +
    ' 孙sun 马ma 朱zhu 胡hu 郭guo 何he 林lin 高gao 罗luo 郑zheng 梁liang 谢xie' +
    ' 宋song 唐tang 韩han 冯feng 邓deng 曹cao 彭peng 曾zeng 肖xiao 田tian' +
    ' 董dong 潘pan 袁yuan 蔡cai 蒋jiang 余yu 杜du 叶ye 程cheng 魏wei 苏su 吕lv' +
    ' 丁ding 任ren 卢lu 姚yao 沈shen 钟zhong 崔cui 谭tan 范fan 廖liao 石shi' +
    ' 金jin 贾jia 夏xia 白bai',
);

const GIVEN = words(
  '伟wei 芳fang 娜na 敏min 静jing 丽li 强qiang 磊lei 军jun 洋yang 勇yong' +
    ' 艳yan 杰jie 娟juan 涛tao 明ming 超chao 秀xiu 霞xia 平ping 刚gang 桂gui' +
    ' 英ying 华hua 文wen 玲ling 建jian 国guo 志zhi 海hai 晓xiao 红hong 辉hui' +
    ' 鹏peng 宇yu 浩hao 婷ting 雪xue 琳lin 欣xin 佳jia 博bo 子zi 睿rui 思si' +
    ' 怡yi 晨chen 轩xuan 然ran 帆fan 凯kai 琪qi 瑶yao 航hang 楠nan 彤tong' +
    ' 斌bin 颖ying',
);

/** The sales team: owners of customers and authors of most follow-ups. */
export const OWNERS = ['张伟', '李娜', '王芳', '刘洋', '陈静', '杨帆', '赵磊', '周敏'] as const;
/** Managers who sign visit records off. */
export const REVIEWERS = ['黄志强', '吴秀英'] as const;
export const STAFF: Readonly<Record<string, readonly string[]>> = {
  技术部: ['郑浩', '冯涛', '韩雪'],
  运营部: ['何静', '曹丽'],
  财务部: ['许婷'],
  客服部: ['邓超', '彭悦'],
};

const MOBILE_PREFIXES = (
  '130 131 132 133 135 136 137 138 139 147 150 151 152 153 155' +
  ' 156 158 159 166 176 177 180 183 185 186 187 188 189 198 199'
).split(' ');
const MAIL_HOSTS = [
  '163.com',
  '126.com',
  'qq.com',
  'sina.com',
  'outlook.com',
  'foxmail.com',
] as const;
const ROADS = [
  '人民路',
  '解放路',
  '建设路',
  '中山路',
  '文化路',
  '科技路',
  '创新大道',
  '长江路',
  '黄河路',
  '学院路',
  '和平路',
  '新华路',
  '迎宾大道',
  '滨江路',
  '金融街',
] as const;

interface Product {
  name: string;
  /** list price in fen */
  price: number;
  maxQuantity: number;
}
const product = (name: string, yuan: number, maxQuantity: number): Product => ({
  name,
  price: yuan * 100,
  maxQuantity,
});

const BUSINESS_PRODUCTS: readonly Product[] = [
  product('CRM标准版年费', 9800, 3),
  product('CRM专业版年费', 19800, 2),
  product('云存储扩容包', 1200, 10),
  product('数据分析服务', 15000, 2),
  product('技术支持包', 5000, 4),
  product('培训服务', 3000, 5),
  product('硬件终端', 2600, 20),
  product('耗材套装', 450, 30),
  product('咨询服务', 8000, 3),
];
const PREMIUM_PRODUCTS: readonly Product[] = [
  product('定制开发', 56000, 2),
  product('私有化部署', 120000, 1),
  product('CRM旗舰版年费', 39800, 3),
];
const PERSONAL_PRODUCTS: readonly Product[] = [
  product('会员年卡', 1288, 1),
  product('耗材套装', 450, 6),
  product('培训课程', 2980, 1),
  product('咨询服务', 800, 2),
  product('硬件终端', 2600, 2),
];

const PREFERENCES = [
  '偏好电话沟通',
  '偏好微信沟通',
  '偏好邮件沟通',
  '工作日上午联系',
  '周末勿扰',
  '需提前预约拜访',
] as const;
const NOTES = [
  '老客户介绍',
  '对价格敏感',
  '关注售后服务',
  '有扩容需求',
  '决策周期较长',
  '重点培育',
] as const;

const FOLLOW_UP_CONTENT: Readonly<Record<(typeof V.FOLLOW_UP_METHODS)[number], readonly string[]>> =
  {
    电话: ['电话介绍产品方案', '电话确认采购需求', '电话沟通报价细节', '电话回访使用情况'],
    拜访: ['上门演示产品', '拜访客户负责人，了解业务痛点', '现场调研实施环境'],
    邮件: ['发送产品资料和报价单', '邮件确认合同条款', '发送案例介绍'],
    微信: ['微信发送产品介绍', '微信沟通试用反馈', '微信确认会议时间'],
    其他: ['展会现场交流', '参加客户线上会议'],
  };
const FEEDBACK = [
  '对方案感兴趣，需内部讨论',
  '认为价格偏高',
  '希望先试用',
  '暂无采购计划',
  '要求提供更多案例',
  '对售后服务比较关注',
  '同意进一步沟通',
] as const;
const NEXT_STEPS = [
  '发送正式报价',
  '安排产品演示',
  '约见决策人',
  '跟进试用情况',
  '准备合同草稿',
  '下月再次联系',
] as const;

const TICKET_TEXT: Readonly<Record<(typeof V.TICKET_TYPES)[number], readonly string[]>> = {
  产品质量: ['设备运行异常，频繁死机', '产品外观有划痕', '软件升级后部分功能无法使用', '配件缺失'],
  服务响应: ['客服电话长时间无人接听', '工单提交后迟迟无人处理', '售后人员未按约定上门'],
  物流配送: ['发货延迟超过一周', '包裹外包装破损', '配送地址错误'],
  账单费用: ['发票金额有误', '重复扣费', '优惠未生效'],
  其他: ['咨询合同条款', '要求更换对接人', '建议增加新功能'],
};
const RESOLUTIONS = [
  '已更换新品',
  '已远程修复',
  '已补发配件',
  '已退还多收款项',
  '已重新开具发票',
  '已致歉并加强培训',
  '已解释说明，客户认可',
] as const;

const VISIT_PURPOSES = [
  '了解产品使用情况',
  '售后满意度回访',
  '续约意向沟通',
  '投诉处理回访',
  '新功能介绍',
] as const;
const OPINIONS = [
  '希望提升响应速度',
  '产品稳定，整体满意',
  '价格偏高',
  '希望增加培训',
  '发货速度有待提高',
  '界面操作不够直观',
] as const;
const IMPROVEMENTS = [
  '安排专人对接',
  '提供免费培训',
  '优化配送流程',
  '给予续约折扣',
  '纳入产品改进计划',
] as const;
const VISIT_ISSUES = ['联系人已变更', '客户较忙，约定下次详谈', '客户对接人休假'] as const;
const REVIEW_COMMENTS = ['同意', '已阅', '请落实改善措施', '继续保持'] as const;

// ─── one customer ────────────────────────────────────────────────────────────────

type Kind = (typeof V.CUSTOMER_KINDS)[number];
type Status = (typeof V.CUSTOMER_STATUSES)[number];

/** What every tab needs to know about a customer, drawn from its profile stream. */
interface Profile {
  index: number;
  kind: Kind;
  status: Status;
  intent: string | null;
  created: EpochDay;
  signed: EpochDay | null;
  /** the last day the customer did business: today unless lost */
  activeUntil: EpochDay;
  owner: string;
  /** orders per 30 days */
  orderRate: number;
  /** orders fell away in the last 3 months (churn signal) */
  fading: boolean;
  bigSpender: boolean;
  /** a lead someone has already talked to */
  contacted: boolean;
  visited: boolean;
}

interface Customer extends Profile {
  id: string;
}

/** Counts serials per prefix and year, as new IDs do. */
class IdCounter {
  private readonly next = new Map<string, number>();

  take(prefix: string, date: EpochDay): string {
    const year = civilFromDays(date).year;
    const key = `${prefix}${year}`;
    const serial = (this.next.get(key) ?? 0) + 1;
    this.next.set(key, serial);
    return `${key}${String(serial).padStart(4, '0')}`;
  }
}

const DEPARTMENT_OF: ReadonlyMap<string, string> = new Map(
  (TICKET_ROUTING.defaultRows ?? []).map(([type, dept]) => [String(type), String(dept)]),
);

class World {
  private readonly today: EpochDay;
  /** the first day of the 18 months the sample spans */
  private readonly start: EpochDay;
  private readonly last3: EpochDay;
  private readonly last6: EpochDay;

  constructor(
    private readonly count: number,
    private readonly seed: number,
    private readonly now: WallSeconds,
  ) {
    this.today = dateOf(now);
    this.start = addMonths(this.today, -18);
    this.last3 = addMonths(this.today, -3);
    this.last6 = addMonths(this.today, -6);
  }

  // ── customers ──

  private profile(index: number): Profile {
    const rng = Rng.of(this.seed, index, Stream.Profile);
    const T = this.today;
    const span = T - this.start;
    const kind: Kind = rng.chance(0.7) ? '企业' : '个人';
    const status = rng.weighted<Status>([
      ['潜在', 25],
      ['正式', 65],
      ['流失', 10],
    ]);
    const owner = rng.pick(OWNERS);
    const orderRate = rng.weighted([
      [0.2, 2],
      [0.4, 3],
      [0.6, 3],
      [1, 2],
      [1.5, 1.5],
      [2.5, 1],
    ]);
    const bigSpender = rng.chance(0.12);
    const visited = rng.chance(0.75);
    const base = { index, kind, status, owner, orderRate, bigSpender, visited };

    if (status === '潜在') {
      const intent = rng.weighted<string | null>([
        ['A', 25],
        ['B', 35],
        ['C', 32],
        [null, 8],
      ]);
      const contacted = rng.chance(0.6);
      // Uncontacted leads are mostly new, so their first-contact dates fall around today.
      const age = contacted
        ? rng.int(0, rng.chance(0.8) ? 180 : span)
        : rng.int(0, rng.chance(0.7) ? 30 : 120);
      const created = T - age;
      return {
        ...base,
        intent,
        created,
        signed: null,
        activeUntil: T,
        fading: false,
        contacted,
      };
    }
    if (status === '正式') {
      const created = this.start + rng.int(0, Math.max(0, span - 20));
      const signed = Math.min(T, created + rng.int(0, 60));
      return {
        ...base,
        intent: null,
        created,
        signed,
        activeUntil: T,
        fading: signed <= this.last6 && rng.chance(0.15),
        contacted: true,
      };
    }
    const created = this.start + rng.int(0, Math.max(0, span - 240));
    const signed = Math.min(T, created + rng.int(0, 45));
    const activeUntil = Math.min(T, signed + rng.int(60, Math.max(60, T - 90 - signed)));
    return {
      ...base,
      intent: null,
      created,
      signed,
      activeUntil,
      fading: false,
      contacted: true,
    };
  }

  /** Customers in sheet order with their IDs, recomputed for each tab. */
  private *customersWithIds(): Generator<Customer> {
    const ids = new IdCounter();
    for (let index = 0; index < this.count; index++) {
      const profile = this.profile(index);
      const prefix = profile.kind === '企业' ? 'E' : 'P';
      yield { ...profile, id: ids.take(prefix, profile.created) };
    }
  }

  *customerRows(): Generator<SampleRow> {
    for (const c of this.customersWithIds()) yield this.customerRow(c);
  }

  private customerRow(c: Customer): SampleRow {
    const rng = Rng.of(this.seed, c.index, Stream.Details);
    const company = c.kind === '企业' ? this.companyOf(c.index) : null;
    const place = company?.city ?? rng.pick(CITIES);
    const row: Record<string, SampleValue> = {
      customerId: c.id,
      kind: c.kind,
      source: rng.weighted([
        ['展会推广', 3],
        ['转介绍', 3],
        ['线上广告', 2],
        ['官网咨询', 2],
        ['电话营销', 2],
        ['其他', 1],
      ]),
      level: rng.weighted<string | null>([
        ['普通客户', 65],
        ['VIP客户', 20],
        ['战略客户', 7],
        [null, 8],
      ]),
      status: c.status,
      intent: c.intent,
      region: place.region,
      address: `${place.name}市${rng.pick(place.districts)}${rng.pick(ROADS)}${rng.int(1, 999)}号`,
      owner: c.owner,
      createdDate: c.created,
      signedDate: c.signed,
    };

    let mailHost: string;
    let mailUser: string;
    if (company) {
      row.name = `${place.name}${company.brand}${company.ending}${rng.chance(0.15) ? '股份有限公司' : '有限公司'}`;
      row.industry = company.industry;
      if (rng.chance(0.85)) row.creditCode = this.creditCodeOf(c.index, place);
      const contact = randomPerson(rng);
      row.contact = contact.name;
      mailHost = company.domain;
      mailUser = rng.chance(0.5)
        ? contact.pinyin
        : rng.pick(['info', 'sales', 'service', 'contact']);
    } else {
      const person = this.personOf(c.index);
      row.name = person.name;
      row.industry = rng.pick(V.DEFAULT_INDUSTRIES);
      mailHost = rng.pick(MAIL_HOSTS);
      mailUser =
        mailHost === 'qq.com'
          ? String(100_000_000 + permute(c.index, 900_000_000, 282_475_249, this.seed))
          : `${person.pinyin}${permute(c.index, 1000, 611, this.seed)}`;
    }

    // Everyone is reachable by at least one valid phone or email.
    const phoneKind = rng.weighted<'mobile' | 'landline' | 'none'>(
      c.kind === '企业'
        ? [
            ['mobile', 70],
            ['landline', 25],
            ['none', 5],
          ]
        : [
            ['mobile', 95],
            ['none', 5],
          ],
    );
    if (phoneKind === 'mobile') row.phone = this.mobileOf(c.index, rng);
    if (phoneKind === 'landline') row.phone = this.landlineOf(c.index, place);
    if (phoneKind === 'none' || rng.chance(c.kind === '企业' ? 0.8 : 0.45)) {
      row.email = `${mailUser}@${mailHost}`;
    }

    if (c.signed !== null) this.contractOf(c, rng, row);
    if (rng.chance(0.8)) row.birthday = this.birthdayOf(c.kind, rng);
    if (rng.chance(0.3)) row.preferences = rng.pick(PREFERENCES);
    if (rng.chance(0.2)) row.notes = rng.pick(NOTES);
    return row;
  }

  private contractOf(c: Customer, rng: Rng, row: Record<string, SampleValue>): void {
    const signed = c.signed!;
    const business = c.kind === '企业';
    if (rng.chance(business ? 0.9 : 0.5)) {
      const yuan = business ? rng.int(500, 8000) * 100 : rng.int(20, 300) * 100;
      row.contractAmount = c.bigSpender ? yuan * 3 : yuan;
    }
    if (c.status === '正式' && rng.chance(0.08)) {
      // Due for renewal within the month.
      row.contractEnd = Math.max(signed + 1, this.today + rng.int(0, 30));
    } else if (rng.chance(business ? 0.85 : 0.4)) {
      row.contractEnd = addMonths(signed, rng.pick([12, 12, 12, 24, 36]));
    }
  }

  private birthdayOf(kind: Kind, rng: Rng): EpochDay {
    const year = civilFromDays(this.today).year;
    const fromYear = kind === '个人' ? year - 65 : year - 32;
    const toYear = kind === '个人' ? year - 22 : year - 2;
    let y = rng.int(fromYear, toYear);
    if (rng.chance(0.06)) {
      // Birthday or anniversary within the coming week.
      const { month, day } = civilFromDays(this.today + rng.int(0, 7));
      if (month === 2 && day === 29 && !isLeapYear(y)) y -= y % 4;
      return daysFromCivil(y, month, day);
    }
    return daysFromCivil(y, 1, 1) + rng.int(0, isLeapYear(y) ? 365 : 364);
  }

  private companyOf(index: number) {
    const combos = CITIES.length * BRAND_FIRST.length * BRAND_SECOND.length * COMPANY_KINDS.length;
    let j = permute(index, combos, 1_000_003, this.seed >>> 3);
    const place = CITIES[j % CITIES.length]!;
    j = Math.floor(j / CITIES.length);
    const first = BRAND_FIRST[j % BRAND_FIRST.length]!;
    j = Math.floor(j / BRAND_FIRST.length);
    const second = BRAND_SECOND[j % BRAND_SECOND.length]!;
    j = Math.floor(j / BRAND_SECOND.length);
    const [ending, word, industry] = COMPANY_KINDS[j % COMPANY_KINDS.length]!;
    return {
      city: place,
      brand: first[0] + second[0],
      ending,
      industry,
      domain: `${first[1]}${second[1]}${word}-${place.pinyin}.com`,
    };
  }

  private personOf(index: number): { name: string; pinyin: string } {
    const combos = SURNAMES.length * GIVEN.length * (GIVEN.length + 1);
    let j = permute(index, combos, 1_000_003, this.seed >>> 5);
    const surname = SURNAMES[j % SURNAMES.length]!;
    j = Math.floor(j / SURNAMES.length);
    const g1 = GIVEN[j % GIVEN.length]!;
    j = Math.floor(j / GIVEN.length);
    const g2 = GIVEN[j % (GIVEN.length + 1)];
    return {
      name: surname[0] + g1[0] + (g2?.[0] ?? ''),
      pinyin: surname[1] + g1[1] + (g2?.[1] ?? ''),
    };
  }

  private mobileOf(index: number, rng: Rng): string {
    const tail = String(permute(index, 100_000_000, 36_817_263, this.seed)).padStart(8, '0');
    const prefix = rng.pick(MOBILE_PREFIXES);
    // People write numbers in different ways; the sync must read them all.
    const style = rng.weighted([
      ['plain', 90],
      ['spaced', 4],
      ['dashed', 3],
      ['intl', 3],
    ]);
    if (style === 'spaced') return `${prefix} ${tail.slice(0, 4)} ${tail.slice(4)}`;
    if (style === 'dashed') return `${prefix}-${tail.slice(0, 4)}-${tail.slice(4)}`;
    if (style === 'intl') return `+86 ${prefix}${tail}`;
    return prefix + tail;
  }

  private landlineOf(index: number, place: City): string {
    const local = 20_000_000 + permute(index, 60_000_000, 7_777_777, this.seed);
    return `${place.areaCode}-${local}`;
  }

  private creditCodeOf(index: number, place: City): string {
    const body = String(permute(index, 100_000_000, 19_999_999, this.seed >>> 7)).padStart(8, '0');
    const orgCode = body + organizationCheck(body);
    const first17 = `91${place.division}${orgCode}`;
    return first17 + creditCheck(first17);
  }

  // ── orders ──

  *orderRows(): Generator<SampleRow> {
    const ids = new IdCounter();
    for (const c of this.customersWithIds()) {
      if (c.signed === null) continue;
      const rng = Rng.of(this.seed, c.index, Stream.Orders);
      for (const day of this.orderDays(c, rng)) {
        const catalogue =
          c.kind === '个人'
            ? PERSONAL_PRODUCTS
            : c.bigSpender && rng.chance(0.6)
              ? PREMIUM_PRODUCTS
              : BUSINESS_PRODUCTS;
        const item = rng.pick(catalogue);
        const quantity = rng.int(1, item.maxQuantity);
        const discountPercent = rng.pick([100, 100, 95, 90, 88, 85]);
        const fen = Math.round((item.price * quantity * discountPercent) / 100);
        const age = this.today - day;
        const paymentStatus =
          age > 30
            ? rng.weighted<string | null>([
                ['按时', 85],
                ['逾期', 12],
                [null, 3],
              ])
            : rng.weighted<string | null>([
                ['未到期', 60],
                ['按时', 37],
                [null, 3],
              ]);
        yield {
          orderId: ids.take('O', day),
          customerId: c.id,
          orderDate: day,
          product: item.name,
          // A blank quantity means 1; some people leave it out.
          quantity: quantity === 1 && rng.chance(0.3) ? null : quantity,
          amount: fen / 100,
          paymentStatus,
        };
      }
    }
  }

  private orderDays(c: Customer, rng: Rng): EpochDay[] {
    const from = c.signed!;
    const to = c.activeUntil;
    if (!c.fading) return this.spread(rng, from, to, c.orderRate);
    // Busy in the previous 3 months, quiet in the last 3: a falling order count.
    return [
      ...this.spread(rng, from, this.last6, c.orderRate),
      ...randomDays(rng, this.last6 + 1, this.last3, rng.int(3, 6)),
      ...randomDays(rng, this.last3 + 1, this.today, rng.int(0, 1)),
    ];
  }

  /** Days at about `rate` per 30 days between from and to, in order. */
  private spread(rng: Rng, from: EpochDay, to: EpochDay, rate: number): EpochDay[] {
    if (to < from) return [];
    const expected = (rate * (to - from + 1)) / 30;
    const count = Math.min(80, Math.floor(expected * (0.6 + 0.8 * rng.next()) + rng.next()));
    return randomDays(rng, from, to, count);
  }

  // ── follow-ups ──

  *followUpRows(): Generator<SampleRow> {
    const ids = new IdCounter();
    for (const c of this.customersWithIds()) {
      const rng = Rng.of(this.seed, c.index, Stream.FollowUps);
      let count: number;
      let until = this.today;
      if (c.status === '潜在') count = c.contacted ? rng.int(1, 4) : 0;
      else if (c.status === '正式') count = rng.int(0, 6);
      else {
        count = rng.int(1, 3);
        until = Math.min(this.today, c.activeUntil + 60);
      }
      for (const day of randomDays(rng, c.created, until, count)) {
        const time = this.workingTime(rng, day);
        const id = ids.take('G', dateOf(time));
        const method = rng.weighted<(typeof V.FOLLOW_UP_METHODS)[number]>([
          ['电话', 40],
          ['微信', 25],
          ['拜访', 15],
          ['邮件', 15],
          ['其他', 5],
        ]);
        yield {
          followUpId: id,
          customerId: c.id,
          time,
          method,
          content: rng.pick(FOLLOW_UP_CONTENT[method]),
          feedback: rng.chance(0.8) ? rng.pick(FEEDBACK) : null,
          nextStep: rng.chance(0.7) ? rng.pick(NEXT_STEPS) : null,
          planDate: rng.chance(0.35) ? dateOf(time) + rng.int(3, 21) : null,
          by: rng.chance(0.9) ? c.owner : rng.pick(OWNERS),
          attachment: rng.chance(0.05) ? `https://files.example.com/crm/${id}.pdf` : null,
        };
      }
    }
  }

  // ── tickets ──

  *ticketRows(): Generator<SampleRow> {
    const ids = new IdCounter();
    for (const c of this.customersWithIds()) {
      if (c.signed === null) continue;
      const rng = Rng.of(this.seed, c.index, Stream.Tickets);
      const count =
        c.status === '正式'
          ? rng.weighted([
              [0, 45],
              [1, 30],
              [2, 15],
              [3, 7],
              [4, 3],
            ])
          : rng.weighted([
              [0, 30],
              [1, 35],
              [2, 25],
              [3, 10],
            ]);
      const until = Math.min(this.today, c.activeUntil + 30);
      const days: EpochDay[] = [];
      for (let k = 0; k < count; k++) {
        // Some tickets are days old, so the open and overdue ones sit near today.
        const recent = c.status === '正式' && rng.chance(0.15);
        days.push(
          recent ? Math.max(c.signed, this.today - rng.int(0, 6)) : rng.int(c.signed, until),
        );
      }
      days.sort((a, b) => a - b);
      for (const day of days) {
        const createdAt = this.workingTime(rng, day);
        yield {
          ticketId: ids.take('T', dateOf(createdAt)),
          customerId: c.id,
          ...this.ticket(rng, createdAt),
        };
      }
    }
  }

  private ticket(rng: Rng, createdAt: WallSeconds): Record<string, SampleValue> {
    const type = rng.weighted<(typeof V.TICKET_TYPES)[number]>([
      ['产品质量', 35],
      ['服务响应', 20],
      ['物流配送', 20],
      ['账单费用', 15],
      ['其他', 10],
    ]);
    const department = DEPARTMENT_OF.get(type) ?? '客服部';
    const row: Record<string, SampleValue> = {
      type,
      description: rng.pick(TICKET_TEXT[type]),
      urgency: rng.weighted([
        ['高', 20],
        ['中', 50],
        ['低', 30],
      ]),
      department,
      handler: rng.chance(0.9) ? rng.pick(STAFF[department] ?? STAFF['客服部']!) : null,
      createdAt,
    };
    const ageHours = (this.now - createdAt) / 3600;
    const open = rng.chance(ageHours < 72 ? 0.6 : 0.08);
    const responseHours = rng.chance(0.8) ? rng.int(1, 20 * 4) / 4 : rng.int(20 * 4, 40 * 4) / 4;
    const respondedAt = createdAt + minutes(responseHours * 60);
    if (open) {
      // 新建 has had no answer yet; an old one is past its limits.
      if (rng.chance(0.5) || respondedAt > this.now) row.status = '新建';
      else {
        row.status = '处理中';
        row.respondedAt = respondedAt;
      }
      return row;
    }
    const answered = rng.chance(0.95);
    const resolvedAt =
      (answered ? respondedAt : createdAt) + minutes(rng.int(1, 50) * 60 + rng.int(0, 59));
    if (resolvedAt > this.now) {
      row.status = respondedAt <= this.now ? '处理中' : '新建';
      if (row.status === '处理中') row.respondedAt = respondedAt;
      return row;
    }
    if (answered) row.respondedAt = respondedAt;
    row.resolvedAt = resolvedAt;
    row.status = rng.chance(0.6) ? '已解决' : '已关闭';
    row.resolution = rng.pick(RESOLUTIONS);
    if (rng.chance(0.8)) {
      row.satisfaction = rng.weighted([
        [5, 35],
        [4, 35],
        [3, 15],
        [2, 10],
        [1, 5],
      ]);
    }
    return row;
  }

  // ── visits ──

  *visitRows(): Generator<SampleRow> {
    const ids = new IdCounter();
    for (const c of this.customersWithIds()) {
      if (c.signed === null || !c.visited) continue;
      const rng = Rng.of(this.seed, c.index, Stream.Visits);
      const from = c.signed + 3;
      const to = c.activeUntil;
      if (to < from) continue;
      const every = c.kind === '企业' ? 100 : 60;
      const count = Math.min(
        8,
        Math.floor(((to - from) / every) * (0.5 + 0.7 * rng.next()) + rng.next()),
      );
      for (const day of randomDays(rng, from, to, count)) {
        const time = this.workingTime(rng, day);
        const visitDay = dateOf(time);
        const approved = rng.chance(this.today - visitDay > 7 ? 0.85 : 0.35);
        yield {
          visitId: ids.take('V', visitDay),
          customerId: c.id,
          time,
          method: rng.weighted([
            ['电话', 45],
            ['微信', 20],
            ['面谈', 20],
            ['邮件', 10],
            ['QQ', 5],
          ]),
          by: c.owner,
          purpose: rng.pick(VISIT_PURPOSES),
          productSatisfaction: rng.chance(0.85) ? satisfactionWord(rng) : null,
          serviceSatisfaction: rng.chance(0.85) ? satisfactionWord(rng) : null,
          opinion: rng.chance(0.6) ? rng.pick(OPINIONS) : null,
          improvement: rng.chance(0.4) ? rng.pick(IMPROVEMENTS) : null,
          issues: rng.chance(0.2) ? rng.pick(VISIT_ISSUES) : null,
          reviewer: approved ? rng.pick(REVIEWERS) : null,
          reviewDate: approved ? Math.min(this.today, visitDay + rng.int(0, 5)) : null,
          reviewComment: approved && rng.chance(0.6) ? rng.pick(REVIEW_COMMENTS) : null,
        };
      }
    }
  }

  /** A time in office hours on `day`, never later than now. */
  private workingTime(rng: Rng, day: EpochDay): WallSeconds {
    const time = day * SECONDS_PER_DAY + minutes(rng.int(9 * 60, 18 * 60 - 1));
    if (time <= this.now) return time;
    return this.now - (this.now % 60) - minutes(rng.int(0, 120));
  }
}

const minutes = (m: number): number => Math.round(m) * 60;

/** `count` days drawn from [from, to], in order. */
function randomDays(rng: Rng, from: EpochDay, to: EpochDay, count: number): EpochDay[] {
  if (to < from) return [];
  const days: EpochDay[] = [];
  for (let k = 0; k < count; k++) days.push(rng.int(from, to));
  return days.sort((a, b) => a - b);
}

function randomPerson(rng: Rng): { name: string; pinyin: string } {
  const surname = rng.pick(SURNAMES);
  const given = rng.chance(0.7) ? [rng.pick(GIVEN), rng.pick(GIVEN)] : [rng.pick(GIVEN)];
  return {
    name: surname[0] + given.map((g) => g[0]).join(''),
    pinyin: surname[1] + given.map((g) => g[1]).join(''),
  };
}

function satisfactionWord(rng: Rng): string {
  return rng.weighted<string>([
    ['好', 40],
    ['较好', 35],
    ['一般', 15],
    ['差', 7],
    ['很差', 3],
  ]);
}

// ─── check characters ────────────────────────────────────────────────────────────

const CREDIT_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** GB 11714 check character of an 8-character organisation code body. */
export function organizationCheck(body: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += parseInt(body[i]!, 36) * weights[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/** GB 32100-2015 check character of the first 17 characters of a credit code. */
export function creditCheck(first17: string): string {
  let sum = 0;
  let weight = 1;
  for (let i = 0; i < 17; i++) {
    sum += CREDIT_CHARS.indexOf(first17[i]!) * weight;
    weight = (weight * 3) % 31;
  }
  return CREDIT_CHARS[(31 - (sum % 31)) % 31]!;
}
