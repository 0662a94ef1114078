/**
 * CSV text to rows, RFC 4180: fields in double quotes may hold the delimiter, line
 * breaks and doubled quotes. Lenient where exports are sloppy: a quote inside an
 * unquoted field is kept as a character, and CR, LF or CRLF all end a record.
 */

/** The delimiter of a file: whichever of comma, tab or semicolon its first record has most of. */
export function sniffDelimiter(text: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    ['\t', 0],
    [';', 0],
  ]);
  let quoted = false;
  for (let i = 0; i < text.length && i < 64 * 1024; i++) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > counts.get(best)!) best = d;
  return best;
}

/** Records in file order; record n (1-based) is what a spreadsheet shows as row n. */
export function parseCsv(text: string, delimiter = sniffDelimiter(text)): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  const n = text.length;
  // A record that is only a line break still counts, so row numbers match a spreadsheet's.
  const endRecord = (): void => {
    row.push(field);
    field = '';
    rows.push(row);
    row = [];
  };
  while (i < n) {
    const ch = text[i]!;
    if (ch === '"' && field === '') {
      // Quoted field: runs to the next quote that is not doubled.
      let j = i + 1;
      let chunk = '';
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) {
          chunk += text.slice(j);
          j = n;
          break;
        }
        chunk += text.slice(j, q);
        if (text[q + 1] === '"') {
          chunk += '"';
          j = q + 2;
          continue;
        }
        j = q + 1;
        break;
      }
      field = chunk;
      // Anything between the closing quote and the delimiter is kept, as spreadsheets do.
      while (j < n && text[j] !== delimiter && text[j] !== '\n' && text[j] !== '\r')
        field += text[j++];
      i = j;
      continue;
    }
    if (ch === delimiter) {
      row.push(field);
      field = '';
      i++;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    // Plain run up to the next special character.
    let j = i + 1;
    while (j < n) {
      const c = text[j]!;
      if (c === delimiter || c === '\n' || c === '\r') break;
      j++;
    }
    field += text.slice(i, j);
    i = j;
  }
  if (field !== '' || row.length > 0) endRecord();
  return rows;
}
