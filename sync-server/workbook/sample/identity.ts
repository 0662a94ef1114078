/**
 * Who the sample's customers are: places, company and personal names, phones, mail
 * addresses and credit codes, each distinct per customer up to MAX_SAMPLE_CUSTOMERS.
 */
import type * as V from '../../../sheets-templates/values.ts';
import { creditCodeCheckChar } from '../../../shared/cells.ts';
import { permute, type Rng } from './random.ts';

export interface City {
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

export const CITIES: readonly City[] = [
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
export const MAIL_HOSTS = [
  '163.com',
  '126.com',
  'qq.com',
  'sina.com',
  'outlook.com',
  'foxmail.com',
] as const;
export const ROADS = [
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

export interface Company {
  city: City;
  brand: string;
  ending: string;
  industry: (typeof V.DEFAULT_INDUSTRIES)[number];
  domain: string;
}

/** The company of customer `index`: one of cities × brands × kinds, never repeated. */
export function companyOf(index: number, seed: number): Company {
  const combos = CITIES.length * BRAND_FIRST.length * BRAND_SECOND.length * COMPANY_KINDS.length;
  let j = permute(index, combos, 1_000_003, seed >>> 3);
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

/** The name of personal customer `index`, never repeated. */
export function personOf(index: number, seed: number): { name: string; pinyin: string } {
  const combos = SURNAMES.length * GIVEN.length * (GIVEN.length + 1);
  let j = permute(index, combos, 1_000_003, seed >>> 5);
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

/** A contact person: names may repeat across customers. */
export function randomPerson(rng: Rng): { name: string; pinyin: string } {
  const surname = rng.pick(SURNAMES);
  const given = rng.chance(0.7) ? [rng.pick(GIVEN), rng.pick(GIVEN)] : [rng.pick(GIVEN)];
  return {
    name: surname[0] + given.map((g) => g[0]).join(''),
    pinyin: surname[1] + given.map((g) => g[1]).join(''),
  };
}

export function mobileOf(index: number, seed: number, rng: Rng): string {
  const tail = String(permute(index, 100_000_000, 36_817_263, seed)).padStart(8, '0');
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

export function landlineOf(index: number, seed: number, place: City): string {
  const local = 20_000_000 + permute(index, 60_000_000, 7_777_777, seed);
  return `${place.areaCode}-${local}`;
}

/** A valid unified social credit code: 91 (a company), the city's division, an organisation code. */
export function creditCodeOf(index: number, seed: number, place: City): string {
  const body = String(permute(index, 100_000_000, 19_999_999, seed >>> 7)).padStart(8, '0');
  const orgCode = body + organizationCheck(body);
  const first17 = `91${place.division}${orgCode}`;
  return first17 + creditCodeCheckChar(first17)!;
}

/**
 * GB 11714 check character of an 8-character organisation code body. The sync does not
 * check it (a credit code's own check character covers it), so it lives here alone.
 */
export function organizationCheck(body: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += parseInt(body[i]!, 36) * weights[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}
