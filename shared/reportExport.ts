/**
 * The Sheets export endpoint's URL for printing one tab of a Google spreadsheet as a PDF
 * the way the report is laid out in the xlsx: A4 landscape, one page wide, no gridlines,
 * the tab's name on top and page numbers below, frozen rows repeated. The add-on's
 * 导出报表 opens one per report tab; the person's own Google sign-in downloads it.
 */
export interface ExportTab {
  name: string;
  gid: number;
}

export function sheetsPdfUrl(spreadsheetId: string, gid: number): string {
  const params: [string, string][] = [
    ['format', 'pdf'],
    ['gid', String(gid)],
    ['size', 'A4'],
    ['portrait', 'false'],
    ['fitw', 'true'],
    ['gridlines', 'false'],
    ['sheetnames', 'true'],
    ['printtitle', 'false'],
    ['pagenum', 'CENTER'],
    ['fzr', 'true'],
    ['top_margin', '0.5'],
    ['bottom_margin', '0.5'],
    ['left_margin', '0.5'],
    ['right_margin', '0.5'],
  ];
  const query = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  return `https://docs.google.com/spreadsheets/d/${encodeURIComponent(spreadsheetId)}/export?${query}`;
}
