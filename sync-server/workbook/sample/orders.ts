/** The 订单 tab: signed customers buy at their own pace; some stop buying lately (a churn signal). */
import type { EpochDay } from '../../../shared/calendar.ts';
import { randomDays, Rng, Stream } from './random.ts';
import { IdCounter, type Customer, type SampleRow, type World } from './world.ts';

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

export function* orderRows(w: World): Generator<SampleRow> {
  const ids = new IdCounter();
  for (const c of w.customersWithIds()) {
    if (c.signed === null) continue;
    const rng = Rng.of(w.seed, c.index, Stream.Orders);
    for (const day of orderDays(w, c, rng)) {
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
      const age = w.today - day;
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

function orderDays(w: World, c: Customer, rng: Rng): EpochDay[] {
  const from = c.signed!;
  const to = c.activeUntil;
  if (!c.fading) return spread(rng, from, to, c.orderRate);
  // Busy in the previous 3 months, quiet in the last 3: a falling order count.
  return [
    ...spread(rng, from, w.last6, c.orderRate),
    ...randomDays(rng, w.last6 + 1, w.last3, rng.int(3, 6)),
    ...randomDays(rng, w.last3 + 1, w.today, rng.int(0, 1)),
  ];
}

/** Days at about `rate` per 30 days between from and to, in order. */
function spread(rng: Rng, from: EpochDay, to: EpochDay, rate: number): EpochDay[] {
  if (to < from) return [];
  const expected = (rate * (to - from + 1)) / 30;
  const count = Math.min(80, Math.floor(expected * (0.6 + 0.8 * rng.next()) + rng.next()));
  return randomDays(rng, from, to, count);
}
