/** `crm-sync preview`: who the current 分层规则 would move between tiers; writes nothing. */
import { computeRules } from '../../../shared/rules/index.ts';
import { previewText, previewTiers } from '../../../shared/rules/tierPreview.ts';
import { tiersAsRead } from '../../../shared/sync/plan.ts';
import { validateWorkbook } from '../../../shared/validate/index.ts';
import { EXIT, oneFile, parseCommandArgs, type Command } from '../args.ts';
import { readAsOf, READ_OPTIONS } from '../workbookArg.ts';

export const previewCommand: Command = {
  name: 'preview',
  usage: 'preview <file.xlsx> | --spreadsheet <id>  [--now YYYY-MM-DDTHH:mm] [--json]',
  summary: 'preview the tier changes the current 分层规则 would make, writing nothing',
  options: [
    '<file.xlsx>           the local workbook (only read)',
    '--spreadsheet <id>    a Google spreadsheet instead (credentials: GOOGLE_APPLICATION_CREDENTIALS)',
    '--now <time>          the clock, wall time in the workbook’s time zone (default: now)',
    '--json                print one object on stdout: { customers, moves, counts }',
  ],
  jsonFailure: { moves: [], counts: [] },
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, READ_OPTIONS);
    const { snapshot, wall } = await readAsOf(oneFile(positionals), values, io.env);
    const validated = validateWorkbook(snapshot.input, wall);
    const rules = computeRules(validated.dataset, wall);
    if (!rules.tiersValid)
      throw new Error('分层规则有错误，无法预览：请先同步，并修正“数据问题”中列出的分层规则行');
    const preview = previewTiers(
      validated.dataset.customers,
      rules.customers,
      tiersAsRead(snapshot.input, validated),
    );
    io.stdout(values.json ? JSON.stringify(preview) + '\n' : previewText(preview));
    return EXIT.ok;
  },
};
