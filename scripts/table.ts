import Table from "cli-table3";

/**
 * Prints rows as a table with the keys of the first row as its header: no index column and no quotes
 * around strings (what `console.table` adds), columns of numbers (or shares like "12.3%", "-" for none) right-aligned,
 * no colours off a terminal.
 */
export function printTable(rows: readonly Record<string, string | number>[]): void {
  const head = Object.keys(rows[0] ?? {});
  // On a terminal narrower than the table, its widest columns wrap their words instead of every line
  // wrapping across the screen (the demo's topic table is ~180 characters wide).
  const natural = head.map(
    (key) => Math.max(key.length, ...rows.map((row) => String(row[key] ?? "").length)) + 2,
  );
  const columns = process.stdout.isTTY ? process.stdout.columns : undefined;
  const widths = columns ? widthsWithin(natural, columns - natural.length - 1) : natural;
  const table = new Table({
    head,
    style: { head: process.stdout.isTTY ? ["bold"] : [], border: [], compact: true },
    colAligns: head.map((key) => (rows.every((row) => numeric(row[key])) ? "right" : "left")),
    ...(widths === natural ? {} : { colWidths: widths, wordWrap: true }),
  });
  for (const row of rows) table.push(head.map((key) => row[key] ?? ""));
  console.log(table.toString());
}

function numeric(value: string | number | undefined): boolean {
  // "-" marks a missing value in a column of numbers.
  return typeof value === "number" || /^(-?[\d.,]+%?|-)$/.test(value ?? "");
}

/**
 * Column widths (padding included) that sum to at most `room`: the widest column gives a character
 * at a time, none below 12 (or its natural width). The same array when the table already fits.
 */
export function widthsWithin(natural: number[], room: number): number[] {
  const total = (widths: readonly number[]) => widths.reduce((sum, w) => sum + w, 0);
  if (total(natural) <= room) return natural;
  const widths = [...natural];
  while (total(widths) > room) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest]! <= 12) break;
    widths[widest]!--;
  }
  return widths;
}
