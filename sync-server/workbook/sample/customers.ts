/** The 客户 tab: one row per customer, with contact details, contract and birthday. */
import {
  addMonths,
  civilFromDays,
  daysFromCivil,
  isLeapYear,
  type EpochDay,
} from '../../../shared/calendar.ts';
import * as V from '../../../sheets-templates/values.ts';
import {
  CITIES,
  companyOf,
  creditCodeOf,
  landlineOf,
  MAIL_HOSTS,
  mobileOf,
  personOf,
  randomPerson,
  ROADS,
} from './identity.ts';
import { permute, Rng, Stream } from './random.ts';
import type { Customer, Kind, SampleRow, SampleValue, World } from './world.ts';

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

export function* customerRows(w: World): Generator<SampleRow> {
  for (const c of w.customersWithIds()) yield customerRow(w, c);
}

function customerRow(w: World, c: Customer): SampleRow {
  const rng = Rng.of(w.seed, c.index, Stream.Details);
  const company = c.kind === '企业' ? companyOf(c.index, w.seed) : null;
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
    if (rng.chance(0.85)) row.creditCode = creditCodeOf(c.index, w.seed, place);
    const contact = randomPerson(rng);
    row.contact = contact.name;
    mailHost = company.domain;
    mailUser = rng.chance(0.5) ? contact.pinyin : rng.pick(['info', 'sales', 'service', 'contact']);
  } else {
    const person = personOf(c.index, w.seed);
    row.name = person.name;
    row.industry = rng.pick(V.DEFAULT_INDUSTRIES);
    mailHost = rng.pick(MAIL_HOSTS);
    mailUser =
      mailHost === 'qq.com'
        ? String(100_000_000 + permute(c.index, 900_000_000, 282_475_249, w.seed))
        : `${person.pinyin}${permute(c.index, 1000, 611, w.seed)}`;
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
  if (phoneKind === 'mobile') row.phone = mobileOf(c.index, w.seed, rng);
  if (phoneKind === 'landline') row.phone = landlineOf(c.index, w.seed, place);
  if (phoneKind === 'none' || rng.chance(c.kind === '企业' ? 0.8 : 0.45)) {
    row.email = `${mailUser}@${mailHost}`;
  }

  if (c.signed !== null) contractOf(w, c, rng, row);
  if (rng.chance(0.8)) row.birthday = birthdayOf(w, c.kind, rng);
  if (rng.chance(0.3)) row.preferences = rng.pick(PREFERENCES);
  if (rng.chance(0.2)) row.notes = rng.pick(NOTES);
  return row;
}

function contractOf(w: World, c: Customer, rng: Rng, row: Record<string, SampleValue>): void {
  const signed = c.signed!;
  const business = c.kind === '企业';
  if (rng.chance(business ? 0.9 : 0.5)) {
    const yuan = business ? rng.int(500, 8000) * 100 : rng.int(20, 300) * 100;
    row.contractAmount = c.bigSpender ? yuan * 3 : yuan;
  }
  if (c.status === '正式' && rng.chance(0.08)) {
    // Due for renewal soon: its 续签提醒 falls within the coming month.
    row.contractEnd = Math.max(signed + 1, w.today + rng.int(28, 60));
  } else if (rng.chance(business ? 0.85 : 0.4)) {
    row.contractEnd = addMonths(signed, rng.pick([12, 12, 12, 24, 36]));
  }
}

function birthdayOf(w: World, kind: Kind, rng: Rng): EpochDay {
  const year = civilFromDays(w.today).year;
  const fromYear = kind === '个人' ? year - 65 : year - 32;
  const toYear = kind === '个人' ? year - 22 : year - 2;
  let y = rng.int(fromYear, toYear);
  if (rng.chance(0.06)) {
    // Birthday or anniversary within the coming week.
    const { month, day } = civilFromDays(w.today + rng.int(0, 7));
    if (month === 2 && day === 29 && !isLeapYear(y)) y -= y % 4;
    return daysFromCivil(y, month, day);
  }
  return daysFromCivil(y, 1, 1) + rng.int(0, isLeapYear(y) ? 365 : 364);
}
