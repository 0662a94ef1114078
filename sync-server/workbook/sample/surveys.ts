/** 体验问卷 rows: the 新客户体验问卷 a team sends on the 30th day after signing. */
import type { EpochDay } from '../../../shared/calendar.ts';
import { FIRST_FEEDBACK_TAG } from '../../../sheets-templates/values.ts';
import { Rng, Stream } from './random.ts';
import { IdCounter, LATE_DAYS, type SampleRow, type World } from './world.ts';

/** 体验问卷天数, as a new workbook's 参数 sets it. */
const SURVEY_DAYS = 30;

/** How far back the sample keeps questionnaires: like visits, older history is sparse. */
const KEPT_DAYS = 180;

/**
 * One questionnaire per customer signed in the last half year, filled on or a day or two
 * before its day; a customer the team is behind with has not had it yet when it fell due
 * lately.
 */
export function* experienceSurveyRows(w: World): Generator<SampleRow> {
  const ids = new IdCounter();
  for (const c of w.customersWithIds()) {
    if (c.signed === null || w.today - c.signed > KEPT_DAYS) continue;
    const due: EpochDay = c.signed + SURVEY_DAYS;
    if (due > Math.min(w.today, c.activeUntil)) continue;
    if (c.late && w.today - due <= LATE_DAYS) continue;
    const rng = Rng.of(w.seed, c.index, Stream.Surveys);
    const day = Math.max(c.signed, due - rng.int(0, 2));
    const score = (): number =>
      rng.weighted<number>([
        [5, 40],
        [4, 35],
        [3, 18],
        [2, 5],
        [1, 2],
      ]);
    yield {
      surveyId: ids.take('W', day),
      customerId: c.id,
      date: day,
      overall: score(),
      product: score(),
      service: score(),
      delivery: score(),
      recommend: rng.int(5, 10),
      tag: FIRST_FEEDBACK_TAG,
    };
  }
}
