/**
 * A five-field cron expression checked field by field, with each number inside its
 * field's range: `99 6 * * *` has the right shape but no minute 99, and node-cron would
 * refuse it at start, leaving no daily sync at all. Pure, so the add-on checks the same.
 */
const FIELDS = [
  { name: '分钟', min: 0, max: 59 },
  { name: '小时', min: 0, max: 23 },
  { name: '日', min: 1, max: 31 },
  { name: '月', min: 1, max: 12 },
  { name: '星期', min: 0, max: 7 },
] as const;

const PART = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/;

/** null when valid, else what is wrong (in Chinese). */
export function cronProblem(text: string): string | null {
  const fields = text.trim().split(/\s+/);
  if (fields.length !== 5) return `应为 5 段（分 时 日 月 星期），收到 ${fields.length} 段`;
  for (let i = 0; i < 5; i++) {
    const { name, min, max } = FIELDS[i]!;
    for (const part of fields[i]!.split(',')) {
      const m = PART.exec(part);
      if (!m) return `第 ${i + 1} 段（${name}）“${fields[i]}”写法不对`;
      const from = m[2] === undefined ? min : Number(m[2]);
      const to = m[3] === undefined ? from : Number(m[3]);
      const step = m[4] === undefined ? 1 : Number(m[4]);
      if (from < min || from > max || to < min || to > max)
        return `第 ${i + 1} 段（${name}）应在 ${min}–${max} 之间，收到“${part}”`;
      if (to < from) return `第 ${i + 1} 段（${name}）范围“${part}”的起点大于终点`;
      if (step < 1) return `第 ${i + 1} 段（${name}）步长应至少为 1，收到“${part}”`;
    }
  }
  return null;
}
