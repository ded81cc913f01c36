/**
 * Time-zone arithmetic with Intl only (no tz database package): the offset of an IANA zone at an
 * instant, and the UTC instant of a local midnight. Offsets are whole seconds east of UTC.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Throws a RangeError naming the zone when Intl does not know it. */
export function assertTimeZone(zone: string): void {
  try {
    formatterFor(zone);
  } catch {
    throw new RangeError(`unknown IANA time zone: ${zone}`);
  }
}

/** Local wall-clock fields of an instant (unix seconds) in a zone. */
export function localParts(
  unixSeconds: number,
  zone: string,
): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = formatterFor(zone).formatToParts(new Date(Math.floor(unixSeconds) * 1000));
  const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of parts) {
    if (p.type in out) out[p.type as keyof typeof out] = Number(p.value);
  }
  return out;
}

/** Seconds east of UTC at the instant. */
export function zoneOffsetSeconds(unixSeconds: number, zone: string): number {
  const t = Math.floor(unixSeconds);
  const p = localParts(t, zone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) / 1000;
  return asUtc - t;
}

/** Parses YYYY-MM-DD strictly. */
export function parseDate(date: string): { year: number; month: number; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`expected a date as YYYY-MM-DD, got ${JSON.stringify(date)}`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`not a calendar date: ${date}`);
  }
  return { year, month, day };
}

/** YYYY-MM-DD of a UTC calendar day shifted by `days`. */
export function addDays(date: string, days: number): string {
  const { year, month, day } = parseDate(date);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** UTC date (YYYY-MM-DD) of an instant. */
export function utcDate(unixSeconds: number): string {
  return new Date(Math.floor(unixSeconds) * 1000).toISOString().slice(0, 10);
}

/** Local date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(unixSeconds: number, zone: string): string {
  const p = localParts(unixSeconds, zone);
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

/**
 * The instant local midnight starts `date` in `zone`. Solved by fixed-point on the offset (two rounds
 * settle any real zone). If midnight does not exist (a DST jump at 00:00, e.g. America/Havana), the
 * day starts at the first existing local instant after it, which the same iteration lands on.
 */
export function zonedMidnight(date: string, zone: string): number {
  const { year, month, day } = parseDate(date);
  const wall = Date.UTC(year, month - 1, day) / 1000;
  let t = wall - zoneOffsetSeconds(wall, zone);
  for (let i = 0; i < 3; i++) {
    const next = wall - zoneOffsetSeconds(t, zone);
    if (next === t) break;
    t = next;
  }
  // Real offsets and transitions sit on a 15-minute grid, so a quarter-hour walk corrects the rare
  // gap case where the iteration lands off the day's first instant.
  while (localDate(t - 900, zone) === date) t -= 900;
  while (localDate(t, zone) !== date) t += 900;
  return t;
}

/** [start, end) unix seconds of a local day. */
export function localDayRange(date: string, zone: string): { from: number; to: number } {
  return { from: zonedMidnight(date, zone), to: zonedMidnight(addDays(date, 1), zone) };
}
